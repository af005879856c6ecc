// POST /v1/customers through the whole service (validation, auth, idempotency-free create,
// encryption, durable append, projection, read-your-writes) against a bare node:http server
// that only parses the body: the ratio says how much of the machine's HTTP ceiling is left.
// Two references put the ratio in context, measured in the same run: NestJS + Fastify with an
// empty handler (the framework floor no Nest endpoint can beat) and the service's own
// GET /v1/customers/:id (auth, one read, decryption; no write).
import autocannon from 'autocannon';
import { startBareServer, startNestFloor, startRenvo } from './lib/http-targets.mjs';
import { print, saveSection, table } from './lib/report.mjs';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 32);
const TARGET_RATIO = 0.3;
const TARGET_P99_MS = 25;
const body = JSON.stringify({
  full_name: 'Bench Person',
  email: 'bench@example.com',
  phone: '+14155550123',
  metadata: { source: 'bench' },
});

function load(url, headers, method = 'POST') {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, method, connections: CONNECTIONS, duration: SECONDS, headers, ...(method === 'POST' ? { body } : {}) },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

function summarise(label, result) {
  const ok = result['2xx'];
  return {
    label,
    requests: result.requests.total,
    non2xx: result.non2xx + result.errors + result.timeouts,
    rps: Math.round(ok / (result.duration || SECONDS)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

const headers = { 'content-type': 'application/json' };
print(`POST /v1/customers, ${CONNECTIONS} connections, ${SECONDS} s each (autocannon in this process)`);
const bare = await startBareServer();
const bareResult = summarise('bare node:http (parse JSON, constant reply)', await load(`${bare.url}/`, headers));
await bare.stop();

const floor = await startNestFloor();
const floorResult = summarise('NestJS + Fastify, empty POST handler', await load(`${floor.url}/v1/customers`, headers));
await floor.stop();

const renvo = await startRenvo();
// A short warm-up so the JIT and SQLite caches are not what is measured.
await new Promise((resolve) => autocannon({ url: `${renvo.url}/v1/customers`, method: 'POST', connections: 8, amount: 500, headers: { ...headers, authorization: `Bearer ${renvo.key}` }, body }, resolve));
const renvoResult = summarise(
  'renvo POST /v1/customers (SQLite, durable)',
  await load(`${renvo.url}/v1/customers`, { ...headers, authorization: `Bearer ${renvo.key}` }),
);
const created = await (await fetch(`${renvo.url}/v1/customers`, {
  method: 'POST',
  headers: { ...headers, authorization: `Bearer ${renvo.key}` },
  body,
})).json();
const readResult = summarise(
  'renvo GET /v1/customers/:id (reference)',
  await load(`${renvo.url}/v1/customers/${created.id}`, { authorization: `Bearer ${renvo.key}` }, 'GET'),
);
await renvo.stop();

const rows = [bareResult, floorResult, renvoResult, readResult];
const ofBare = (r) => Math.round((r.rps / bareResult.rps) * 100) / 100;
print(table(
  ['target', 'requests', 'non-2xx', 'req/s', 'p50 ms', 'p99 ms', 'x bare'],
  rows.map((r) => [r.label, r.requests, r.non2xx, r.rps, r.p50Ms, r.p99Ms, `${ofBare(r)}x`]),
));
const ratio = ofBare(renvoResult);
const meets = ratio >= TARGET_RATIO && renvoResult.p99Ms < TARGET_P99_MS;
print();
print(`ratio renvo/bare: ${ratio}x (target >= ${TARGET_RATIO}x with p99 < ${TARGET_P99_MS} ms: ${meets ? 'met' : 'NOT met'})`);
print();
saveSection('http', { connections: CONNECTIONS, seconds: SECONDS, rows, ratio, floorRatio: ofBare(floorResult), target: { ratio: TARGET_RATIO, p99Ms: TARGET_P99_MS, met: meets } });
