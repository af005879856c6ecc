// Webhook deliveries to a local receiver: deliveries/s, and the delay from a write's
// acknowledgement to its signed delivery (p50/p99), against the write rate of the same run.
import { createServer } from 'node:http';
import { mustPost, runLoad } from './lib/http-load.mjs';
import { startRenvo } from './lib/http-targets.mjs';
import { print, saveSection, table } from './lib/report.mjs';

const COUNT = Number(process.env.BENCH_WEBHOOKS_COUNT ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_WEBHOOKS_CONCURRENCY ?? 32);

const received = new Map(); // customer id → time its customer.created arrived
let firstDelivery = 0;
let lastDelivery = 0;
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const now = performance.now();
    const event = JSON.parse(body);
    if (event.type === 'customer.created' && !received.has(event.data.object.id)) {
      received.set(event.data.object.id, now);
      firstDelivery ||= now;
      lastDelivery = now;
    }
    res.writeHead(200).end();
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));

// The receiver is on loopback: the SSRF guard is lifted, as in tests and local development.
const renvo = await startRenvo({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
await mustPost(renvo.url, renvo.key, '/v1/webhook_endpoints', {
  url: `http://127.0.0.1:${receiver.address().port}/hook`,
  enabled_events: ['customer.created'],
});

const acknowledged = new Map(); // customer id → time the create was answered
const headers = { authorization: `Bearer ${renvo.key}`, 'content-type': 'application/json' };
const writes = await runLoad({
  count: COUNT,
  concurrency: CONCURRENCY,
  request: () => ({ url: `${renvo.url}/v1/customers`, method: 'POST', headers, body: '{"full_name":"Hooked"}' }),
  onResponse: (json) => acknowledged.set(json.id, performance.now()),
});
const deadline = performance.now() + 60_000;
while (received.size < COUNT && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
await renvo.stop();
receiver.close();

const delays = [...acknowledged].filter(([id]) => received.has(id)).map(([id, at]) => Math.max(0, received.get(id) - at)).sort((a, b) => a - b);
const pct = (p) => Math.round(delays[Math.min(delays.length - 1, Math.floor(delays.length * p))] * 10) / 10;
const deliveriesPerSecond = Math.round(received.size / ((lastDelivery - firstDelivery) / 1000 || 1));
print(`webhooks: ${COUNT} customer creates (${CONCURRENCY} concurrent), one endpoint on a local receiver, SQLite`);
print(table(['measure', 'value'], [
  ['creates/s (write side)', writes.rps],
  ['deliveries received', `${received.size} of ${COUNT}`],
  ['deliveries/s', deliveriesPerSecond],
  ['deliveries vs writes', `${Math.round((deliveriesPerSecond / writes.rps) * 100) / 100}x`],
  ['write acknowledged → delivered, p50 ms', pct(0.5)],
  ['write acknowledged → delivered, p99 ms', pct(0.99)],
]));
print();
saveSection('webhooks', { count: COUNT, writes, received: received.size, deliveriesPerSecond, delayP50Ms: pct(0.5), delayP99Ms: pct(0.99) });
