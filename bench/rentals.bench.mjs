// Rental approvals: on one busy vehicle (every approval races for the same calendar stream
// and overlapping dates, so one wins and the rest are 409 vehicle_unavailable) and on many
// vehicles (independent calendars), against creating customers, in the same run.
import { runLoad, mustPost } from './lib/http-load.mjs';
import { startRenvo } from './lib/http-targets.mjs';
import { print, saveSection, table } from './lib/report.mjs';

const COUNT = Number(process.env.BENCH_RENTALS_COUNT ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_RENTALS_CONCURRENCY ?? 32);

const renvo = await startRenvo();
const headers = { authorization: `Bearer ${renvo.key}`, 'content-type': 'application/json' };
const customer = await mustPost(renvo.url, renvo.key, '/v1/customers', { full_name: 'Rental Bench' });

async function newRentals(vehicleOf) {
  const ids = [];
  const created = await runLoad({
    count: COUNT,
    concurrency: CONCURRENCY,
    request: (i) => ({
      url: `${renvo.url}/v1/rentals`,
      method: 'POST',
      headers,
      body: JSON.stringify({ customer_id: customer.id, vehicle_id: vehicleOf(i), start_date: '2027-05-01', end_date: '2027-05-04' }),
    }),
  });
  // Ids come from the list (newest first), so setup stays a plain load run.
  let cursor = null;
  do {
    const page = await (await fetch(`${renvo.url}/v1/rentals?limit=100&customer=${customer.id}${cursor ? `&starting_after=${cursor}` : ''}`, { headers })).json();
    ids.push(...page.data.map((r) => r.id));
    cursor = page.next_cursor;
  } while (cursor);
  return { ids, created };
}

const approve = (ids) =>
  runLoad({
    count: ids.length,
    concurrency: CONCURRENCY,
    request: (i) => ({ url: `${renvo.url}/v1/rentals/${ids[i]}`, method: 'PATCH', headers, body: '{"status":"APPROVED"}' }),
  });

const customers = await runLoad({
  count: COUNT,
  concurrency: CONCURRENCY,
  request: () => ({ url: `${renvo.url}/v1/customers`, method: 'POST', headers, body: '{"full_name":"Bench Person","email":"b@example.com"}' }),
});
const many = await newRentals((i) => `van-${i}`);
const manyApprovals = await approve(many.ids);
const busy = await newRentals(() => 'the-busy-van');
const seen = new Set(many.ids);
const busyApprovals = await approve(busy.ids.filter((id) => !seen.has(id)));
await renvo.stop();

const rows = [
  ['create customers (baseline)', customers],
  ['create rentals', many.created],
  ['approve, many vehicles', manyApprovals],
  ['approve, one busy vehicle', busyApprovals],
];
print(`rentals: ${COUNT} requests per row, ${CONCURRENCY} concurrent, SQLite`);
print(table(['workload', 'requests', 'req/s', 'vs customers', 'p50 ms', 'p99 ms', 'statuses'],
  rows.map(([label, r]) => [label, r.requests, r.rps, `${Math.round((r.rps / customers.rps) * 100) / 100}x`, r.p50Ms, r.p99Ms, JSON.stringify(r.statuses)])));
print();
saveSection('rentals', Object.fromEntries(rows.map(([label, r]) => [label, r])));
