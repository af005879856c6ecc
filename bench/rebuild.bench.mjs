// Rebuilding a read model from the log (customers, 200,000 events) against a raw read of
// the same events through the port (the ceiling: what any rebuild must at least do), and
// `as_of` / `version` reads of a 1,000-event stream against a read-model GET, same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print, REPO_DIR, saveSection, table } from './lib/report.mjs';

const require = createRequire(import.meta.url);
const dist = (path) => require(join(REPO_DIR, 'dist', path));
const { NestFactory } = require(join(REPO_DIR, 'node_modules/@nestjs/core'));
const { Global, Module } = require(join(REPO_DIR, 'node_modules/@nestjs/common'));
const { AppModule } = dist('app.module.js');
const { loadConfig } = dist('shared/config/app-config.js');
const { EVENT_STORE } = dist('shared/event-store/event-store.port.js');
const { READ_DB } = dist('shared/read-db/read-db.port.js');
const { EventCodecs } = dist('shared/event-store/event-codec.js');
const { CheckpointStore } = dist('shared/projections/checkpoint.store.js');
const { ProjectionRebuild } = dist('shared/projections/projection-rebuild.js');
const { PROJECTIONS, PROJECTION_RUNNER_IDLE } = dist('shared/projections/projection-runner.js');
const { ResourceTimeline } = dist('events/resource-timeline.js');

const EVENTS = Number(process.env.BENCH_REBUILD_EVENTS ?? 200_000);
const PER_CUSTOMER = 5; // one CustomerCreated and four CustomerUpdated
const dataDir = mkdtempSync(join(tmpdir(), 'renvo-bench-rebuild-'));

class IdleRunner {}
Global()(IdleRunner);
Module({ providers: [{ provide: PROJECTION_RUNNER_IDLE, useValue: true }], exports: [PROJECTION_RUNNER_IDLE] })(IdleRunner);
class BenchModule {}
Module({})(BenchModule);
const app = await NestFactory.createApplicationContext(
  { module: BenchModule, imports: [AppModule.forRoot(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' })), IdleRunner] },
  { logger: false },
);
const store = app.get(EVENT_STORE);

// Events written straight through the port (the API would take minutes for 200k): values
// without the `enc:` prefix read back as they are, so no keys are needed.
const created = (id, i) => ({ type: 'CustomerCreated', schemaVersion: 2, data: {
  customer_id: id, account_id: 'acct_bench', livemode: false, external_id: null, full_name: `Person ${i}`,
  email: `p${i}@example.com`, phone: null, preferred_language: 'en', source_channel: null, notes: null,
  metadata: { n: String(i) }, status: 'ACTIVE', archived: false, created_at: new Date().toISOString() } });
const updated = (id, n) => ({ type: 'CustomerUpdated', schemaVersion: 1, data: {
  customer_id: id, changes: { notes: `note ${n}` }, updated_at: new Date().toISOString() } });

let t0 = performance.now();
const customers = Math.ceil(EVENTS / PER_CUSTOMER);
for (let from = 0; from < customers; from += 2000) {
  await Promise.all(Array.from({ length: Math.min(2000, customers - from) }, (_, k) => {
    const id = `cu_bench${String(from + k).padStart(12, '0')}`;
    const events = [created(id, from + k), ...Array.from({ length: PER_CUSTOMER - 1 }, (_, n) => updated(id, n))];
    return store.appendToStream(`customer-${id}`, events, { expectedRevision: 'no_stream' });
  }));
}
const seeded = Number(await store.headPosition());
const seedSeconds = (performance.now() - t0) / 1000;

t0 = performance.now();
let read = 0;
for (let after = 0n; ; ) {
  const page = await store.readAll({ after, maxCount: 1000 });
  if (!page.length) break;
  read += page.length;
  after = page[page.length - 1].position;
}
const rawSeconds = (performance.now() - t0) / 1000;

const rebuild = new ProjectionRebuild(store, app.get(READ_DB), app.get(EventCodecs), app.get(CheckpointStore));
const customersProjection = app.get(PROJECTIONS).find((p) => p.name === 'customers');
t0 = performance.now();
const result = await rebuild.run(customersProjection, { batchSize: 1000 });
const rebuildSeconds = (performance.now() - t0) / 1000;

// as_of on a long stream: one customer with 1,000 events.
const longId = 'cu_benchlongstream0';
await store.appendToStream(`customer-${longId}`, [created(longId, -1)], { expectedRevision: 'no_stream' });
for (let i = 1; i < 1000; i += 100) {
  await store.appendToStream(`customer-${longId}`, Array.from({ length: Math.min(100, 1000 - i) }, (_, n) => updated(longId, i + n)), { expectedRevision: 'any' });
}
const timeline = app.get(ResourceTimeline);
const latencies = [];
for (let i = 0; i < 200; i++) {
  const started = performance.now();
  const view = await timeline.at(`customer-${longId}`, { version: 1 + ((i * 37) % 1000) });
  latencies.push(performance.now() - started);
  if (!view) throw new Error('as_of returned nothing');
}
latencies.sort((a, b) => a - b);
await app.close();
rmSync(dataDir, { recursive: true, force: true });

const rows = [
  ['raw readAll of the log (ceiling)', read, Math.round(read / rawSeconds), '1x'],
  ['rebuild customers (decode, fold, write, swap)', Number(result.events), Math.round(Number(result.events) / rebuildSeconds), `${Math.round((rawSeconds / rebuildSeconds) * 100) / 100}x`],
];
print(`rebuild: ${seeded} events seeded in ${seedSeconds.toFixed(1)} s through the port (SQLite)`);
print(table(['pass', 'events', 'events/s', 'vs raw read'], rows));
const pct = (p) => Math.round(latencies[Math.floor(latencies.length * p)] * 100) / 100;
print(`as_of on a 1,000-event stream (version=random, 200 reads): p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`);
print();
saveSection('rebuild', { events: seeded, rows, asOf: { p50Ms: pct(0.5), p99Ms: pct(0.99) } });
