/**
 * SQLite event store: appends/s of our adapter against a plain better-sqlite3 loop with the
 * same durability and against emmett-sqlite, for one sequential writer and for concurrent
 * writers (which is where our group commit shares one fsync between appends).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { compare, ratio } from './lib/measure.mjs';
import { REPO_DIR, print, printCases, saveSection } from './lib/report.mjs';
import { ADAPTER_FILE, loadContenders } from './lib/sqlite-contenders.mjs';

const config = {
  appends: Number(process.env.BENCH_APPENDS ?? 3000),
  warmup: Number(process.env.BENCH_WARMUP ?? 200),
  maxSeconds: Number(process.env.BENCH_MAX_SECONDS ?? 5),
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
  concurrentWriters: Number(process.env.BENCH_SQLITE_WRITERS ?? 32),
};
const workloads = [
  { key: 'single', label: 'single writer', writers: 1 },
  { key: 'concurrent', label: `${config.concurrentWriters} writers`, writers: config.concurrentWriters },
];

if (!existsSync(ADAPTER_FILE)) {
  print(`SQLite event store: skipped: ${relative(REPO_DIR, ADAPTER_FILE)} is missing (did npm run build emit it?)`);
  saveSection('sqlite', { skipped: 'adapter not built' });
  process.exit(1);
}

const stray = countStrayErrors();
const dir = mkdtempSync(join(process.env.BENCH_TMPDIR ?? os.tmpdir(), 'renvo-bench-'));
const cases = [];
const log = console.log;
console.log = () => {}; // emmett-sqlite console.logs every failed append; the tables use print()
try {
  const contenders = loadContenders();
  for (const workload of workloads) {
    const stores = [];
    try {
      for (const c of contenders) stores.push(await c.open(join(dir, `${c.key}-${workload.key}.db`)));
      const uncaught = contenders.map(() => ({}));
      const entries = stores.map((store, i) => ({
        makeWriter: (w) => store.makeWriter(`rental-${w}`),
        onTurn: () => (stray.into = uncaught[i]),
      }));
      const results = await compare(entries, { ...config, writers: workload.writers });
      results.forEach((result, i) => cases.push({
        workload: workload.key, writers: workload.writers, store: contenders[i].key, label: contenders[i].label,
        ...result, uncaught: uncaught[i],
      }));
    } finally {
      for (const store of stores) await store.close();
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 300)); // let emmett's last closes land
} finally {
  console.log = log;
  rmSync(dir, { recursive: true, force: true });
}

const find = (workload, store) => cases.find((c) => c.workload === workload && c.store === store);
const ratios = Object.fromEntries(workloads.map((w) => [w.key, {
  'ours/plain': ratio(find(w.key, 'ours'), find(w.key, 'plain')),
  'ours/emmett': ratio(find(w.key, 'ours'), find(w.key, 'emmett')),
}]));

print(`SQLite event store: one event per append, WAL + synchronous=FULL, fresh file per case in ${os.tmpdir()}`);
print(`each case: ${config.warmup} warm-up appends, then ${config.appends} appends or ${config.maxSeconds} s, ` +
  `in ${config.rounds} rounds interleaved with the other stores`);
print();
printCases({ workloads, cases, ratios });
saveSection('sqlite', { config, cases, ratios });

/**
 * Emmett's connections close (and set their pragma) without a callback, so their SQLITE_*
 * errors arrive as uncaught 'error' events, some after its turn ended: they are counted
 * against the store whose turn it is. Anything else, a failed await included, ends the bench.
 */
function countStrayErrors() {
  const stray = { into: {} };
  process.on('uncaughtException', (error, origin) => {
    if (origin !== 'uncaughtException' || !String(error?.code).startsWith('SQLITE_')) {
      console.error(error);
      process.exit(1);
    }
    stray.into[error.code] = (stray.into[error.code] ?? 0) + 1;
  });
  return stray;
}
