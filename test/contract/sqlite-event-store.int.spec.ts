import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EventToAppend } from '../../src/shared/event-store/event-store.port';
import { SqliteEventStore } from '../../src/shared/event-store/sqlite/sqlite-event-store';
import { describeEventStoreContract } from './event-store.contract';

/**
 * Holds an append open on a second connection in a worker thread. better-sqlite3 is
 * synchronous: a later append in this thread blocks the event loop until the lock frees, so
 * the holder cannot wait for a message from here and commits on its own after HOLD_MS.
 */
const HOLD_MS = 300;
const HOLDER = `
const { parentPort, workerData: w } = require('node:worker_threads');
const db = new (require(w.driver))(w.file);
db.pragma('busy_timeout = 5000');
db.exec('BEGIN IMMEDIATE');
const row = db.prepare('SELECT revision FROM streams WHERE stream = ?').get(w.stream);
const revision = row ? row.revision + 1 : 0;
db.prepare(\`INSERT INTO events (id, stream, revision, type, schema_version, data, metadata, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)\`)
  .run(w.id, w.stream, revision, w.type, w.schemaVersion, w.data, w.metadata, Date.now());
db.prepare(\`INSERT INTO streams (stream, revision) VALUES (?, ?)
            ON CONFLICT(stream) DO UPDATE SET revision = excluded.revision\`)
  .run(w.stream, revision);
let done = false;
const commit = () => {
  if (done) return;
  done = true;
  db.exec('COMMIT');
  db.close();
  parentPort.postMessage('committed');
  parentPort.close();
};
const timer = setTimeout(commit, w.holdMs);
parentPort.on('message', () => { clearTimeout(timer); commit(); });
parentPort.postMessage('held');
`;

function holdAppend(file: string, stream: string, event: EventToAppend) {
  const worker = new Worker(HOLDER, {
    eval: true,
    workerData: {
      driver: require.resolve('better-sqlite3'),
      file,
      stream,
      id: event.id ?? crypto.randomUUID(),
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata ?? {}),
      holdMs: HOLD_MS,
    },
  });
  const committed = new Promise<void>((resolve, reject) => {
    worker.on('message', (m) => m === 'committed' && resolve());
    worker.on('error', reject);
  });
  return new Promise<{ release(): Promise<void> }>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (m) => {
      if (m !== 'held') return;
      resolve({
        async release() {
          worker.postMessage('release');
          await committed;
        },
      });
    });
  });
}

describeEventStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'renvo-es-'));
  const file = join(dir, 'events.db');
  let store = new SqliteEventStore(file);
  return {
    store,
    async reopen() {
      await store.close();
      store = new SqliteEventStore(file);
      return store;
    },
    holdAppend: (stream, event) => holdAppend(file, stream, event),
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

/** Group commit specifics: appends that share one transaction keep their own outcomes. */
describe('SQLite group commit', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'renvo-gc-'));
    store = new SqliteEventStore(join(dir, 'events.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ev = (type: string, id?: string): EventToAppend => ({ type, schemaVersion: 1, data: { type }, ...(id ? { id } : {}) });

  it('an append with a duplicate event id fails alone; the others in its transaction commit', async () => {
    const taken = crypto.randomUUID();
    await store.appendToStream('a', [ev('Taken', taken)], { expectedRevision: 'no_stream' });
    // Queued in one event-loop turn: all three share one transaction.
    const outcomes = await Promise.allSettled([
      store.appendToStream('b', [ev('B1')], { expectedRevision: 'no_stream' }),
      store.appendToStream('c', [ev('C1'), ev('Duplicate', taken)], { expectedRevision: 'no_stream' }),
      store.appendToStream('d', [ev('D1')], { expectedRevision: 'no_stream' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.readStream('c')).toEqual([]);
    expect((await store.readStream('b')).map((e) => e.type)).toEqual(['B1']);
    expect((await store.readStream('d')).map((e) => e.type)).toEqual(['D1']);
  });
});
