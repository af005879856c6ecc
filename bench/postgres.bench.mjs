/**
 * PostgreSQL event store: appends/s of our adapter against emmett-postgresql, one sequential
 * writer and concurrent writers, each store on a fresh database created (and dropped) here.
 * Skipped, with the reason printed, when the server or our compiled adapter is missing.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import pg from 'pg';
import { compare, ratio } from './lib/measure.mjs';
import { ADAPTER_FILE, loadContenders } from './lib/postgres-contenders.mjs';
import { REPO_DIR, print, printCases, saveSection } from './lib/report.mjs';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://renvo:renvo@127.0.0.1:5432/postgres';
const config = {
  appends: Number(process.env.BENCH_APPENDS ?? 3000),
  warmup: Number(process.env.BENCH_WARMUP ?? 200),
  maxSeconds: Number(process.env.BENCH_MAX_SECONDS ?? 5),
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
  concurrentWriters: Number(process.env.BENCH_PG_WRITERS ?? 16),
};
const workloads = [
  { key: 'single', label: 'single writer', writers: 1 },
  { key: 'concurrent', label: `${config.concurrentWriters} writers`, writers: config.concurrentWriters },
];

const skipped = [];
if (!existsSync(ADAPTER_FILE)) skipped.push(`${relative(REPO_DIR, ADAPTER_FILE)} not built yet`);
const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
try {
  await admin.connect();
} catch (error) {
  skipped.push(`${redact(url)} unreachable (${error.message}); set BENCH_DATABASE_URL`);
}
if (skipped.length) {
  print(`PostgreSQL event store: skipped: ${skipped.join('; ')}`);
  print();
  saveSection('postgres', { skipped });
  await admin.end().catch(() => {});
  process.exit(0);
}

const server = await serverSettings();
const stamp = `${Date.now().toString(36)}_${process.pid}`;
const contenders = loadContenders();
const databases = contenders.map((c) => `renvo_bench_${stamp}_${c.key}`);
const cases = [];
const stores = [];
try {
  for (const [i, contender] of contenders.entries()) {
    await admin.query(`CREATE DATABASE ${databases[i]}`);
    stores.push(await contender.open(urlOf(databases[i])));
  }
  for (const w of workloads) {
    const entries = stores.map((store) => ({ makeWriter: (i) => store.makeWriter(`rental-${w.key}-${i}`) }));
    const results = await compare(entries, { ...config, writers: w.writers });
    results.forEach((result, i) => cases.push({
      workload: w.key, writers: w.writers, store: contenders[i].key, label: contenders[i].label, ...result,
    }));
  }
} finally {
  for (const store of stores) await store.close();
  for (const database of databases) await dropWhenIdle(database);
  await admin.end();
}

const find = (workload, store) => cases.find((c) => c.workload === workload && c.store === store);
const ratios = Object.fromEntries(
  workloads.map((w) => [w.key, { 'ours/emmett': ratio(find(w.key, 'ours'), find(w.key, 'emmett')) }]),
);

print(`PostgreSQL event store: ${redact(url)}, server ${server.server_version}, ` +
  `synchronous_commit=${server.synchronous_commit}, fsync=${server.fsync}; fresh database per store`);
print(`each case: ${config.warmup} warm-up appends, then ${config.appends} appends or ${config.maxSeconds} s, ` +
  `in ${config.rounds} rounds interleaved with the other store`);
print();
printCases({ workloads, cases, ratios });
saveSection('postgres', { config, server, cases, ratios });

async function serverSettings() {
  const names = ['server_version', 'synchronous_commit', 'fsync'];
  const { rows } = await admin.query('SELECT name, setting FROM pg_settings WHERE name = ANY($1)', [names]);
  return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
}

/** Waits for the closed pools' backends to leave, so FORCE only ever ends stragglers. */
async function dropWhenIdle(database) {
  for (let i = 0; i < 50; i++) {
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
    if (rows[0].n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}

function urlOf(database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function redact(raw) {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparsable BENCH_DATABASE_URL>';
  }
}
