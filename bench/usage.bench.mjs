// Usage records (POST /v1/customers/{id}/usage). Every call is a quota decision appended to
// the customer's usage ledger under its expected revision (src/usage/quota-ledger.ts):
// - one hot customer: every call lands on one stream, queued in the process, never lost;
// - 1,000 customers: calls spread over independent ledgers, as in real traffic;
// - one customer at its quota: every call is refused (402) after the same reads, no append;
// with customer creates as the plain-write baseline of the same run. After each load the
// read model's sums (GET /usage) are checked against the 200s counted: they must agree.
import { mustPost, runLoad } from './lib/http-load.mjs';
import { startRenvo } from './lib/http-targets.mjs';
import { print, saveSection, table } from './lib/report.mjs';

const COUNT = Number(process.env.BENCH_USAGE_COUNT ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_USAGE_CONCURRENCY ?? 32);
const CUSTOMERS = Number(process.env.BENCH_USAGE_CUSTOMERS ?? 1000);
const BIG_QUOTA = 1_000_000_000;

const renvo = await startRenvo();
const headers = { authorization: `Bearer ${renvo.key}`, 'content-type': 'application/json' };
const post = (path, body) => mustPost(renvo.url, renvo.key, path, body);
const getUsed = async (id) =>
  (await (await fetch(`${renvo.url}/v1/customers/${id}/usage`, { headers })).json()).current.used;

/** Runs `task(i)` for i < n, `concurrency` at a time (setup and checks; not measured). */
async function inPool(n, concurrency, task) {
  const out = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < n; i = next++) out[i] = await task(i);
  }));
  return out;
}

const usageLoad = (customerOf, quantity = 1) =>
  runLoad({
    count: COUNT,
    concurrency: CONCURRENCY,
    request: (i) => ({ url: `${renvo.url}/v1/customers/${customerOf(i)}/usage`, method: 'POST', headers, body: `{"quantity":${quantity}}` }),
  });

const big = await post('/v1/plans', { name: 'Bench big', monthly_quota: BIG_QUOTA });
const none = await post('/v1/plans', { name: 'Bench none', monthly_quota: 0 });
const hot = await post('/v1/customers', { full_name: 'Hot Customer', plan_id: big.id });
const full = await post('/v1/customers', { full_name: 'Full Customer', plan_id: none.id });
const spread = await inPool(CUSTOMERS, 16, (i) => post('/v1/customers', { full_name: `Customer ${i}`, plan_id: big.id }));
// A short warm-up so the JIT and the caches are not what is measured.
await runLoad({ count: 300, concurrency: 8, request: (i) => ({ url: `${renvo.url}/v1/customers/${spread[i % CUSTOMERS].id}/usage`, method: 'POST', headers, body: '{"quantity":1}' }) });
const warmed = await inPool(CUSTOMERS, 16, (i) => getUsed(spread[i].id));

const baseline = await runLoad({
  count: COUNT,
  concurrency: CONCURRENCY,
  request: () => ({ url: `${renvo.url}/v1/customers`, method: 'POST', headers, body: '{"full_name":"Bench Person","email":"b@example.com"}' }),
});
const hotRun = await usageLoad(() => hot.id);
const hotAgrees = (await getUsed(hot.id)) === (hotRun.statuses[200] ?? 0);
const spreadRun = await usageLoad((i) => spread[i % CUSTOMERS].id);
const after = await inPool(CUSTOMERS, 16, (i) => getUsed(spread[i].id));
const spreadAgrees = after.reduce((sum, used, i) => sum + used - warmed[i], 0) === (spreadRun.statuses[200] ?? 0);
const fullRun = await usageLoad(() => full.id);
const fullAgrees = (await getUsed(full.id)) === 0;
await renvo.stop();

const rows = [
  ['create customers (baseline)', 0, baseline, null],
  ['usage, one hot customer', 1, hotRun, hotAgrees],
  [`usage, ${CUSTOMERS} customers`, CUSTOMERS, spreadRun, spreadAgrees],
  ['usage refused (402), one customer at quota', 1, fullRun, fullAgrees],
];
print(`usage: ${COUNT} requests per row, ${CONCURRENCY} concurrent, SQLite; quota ${BIG_QUOTA} except the 402 row`);
print(table(
  ['workload', 'customers', 'requests', 'req/s', 'vs customers', 'p50 ms', 'p99 ms', 'statuses', 'GET agrees'],
  rows.map(([label, customers, r, agrees]) => [
    label, customers || null, r.requests, r.rps, `${Math.round((r.rps / baseline.rps) * 100) / 100}x`, r.p50Ms, r.p99Ms,
    JSON.stringify(r.statuses), agrees === null ? null : agrees ? 'yes' : 'NO',
  ]),
));
print();
if ([hotAgrees, spreadAgrees, fullAgrees].includes(false)) print('WARNING: GET /usage disagrees with the accepted records');
saveSection('usage', Object.fromEntries(rows.map(([label, customers, r, agrees]) => [label, { customers, ...r, getAgrees: agrees }])));
