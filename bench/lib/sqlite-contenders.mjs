/**
 * The three SQLite event stores the bench compares. Each `open(file)` returns
 * `{ makeWriter(stream), close() }` (writers: see writers.mjs).
 */
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_DIR } from './report.mjs';
import { rentalBooked } from './rental-event.mjs';
import { emmettWriter, portWriter } from './writers.mjs';

export const ADAPTER_FILE = join(REPO_DIR, 'dist/shared/event-store/sqlite/sqlite-event-store.js');
const SCHEMA_FILE = join(REPO_DIR, 'dist/shared/event-store/sqlite/sqlite-event-store.schema.js');

export function loadContenders() {
  const requireFromAdapter = createRequire(ADAPTER_FILE);
  const { SqliteEventStore } = requireFromAdapter(ADAPTER_FILE);
  const { SQLITE_EVENT_SCHEMA } = requireFromAdapter(SCHEMA_FILE);
  // The adapter's own better-sqlite3 build, so the baseline runs the same SQLite library.
  const Database = requireFromAdapter('better-sqlite3');
  return [ours(SqliteEventStore), plain(Database, SQLITE_EVENT_SCHEMA), emmett()];
}

const ours = (SqliteEventStore) => ({
  key: 'ours',
  label: 'renvo SqliteEventStore',
  async open(file) {
    const store = new SqliteEventStore(file);
    return { makeWriter: (stream) => portWriter(store, stream), close: () => store.close() };
  },
});

/** Same schema, pragmas and checks as ours, but one transaction (so one fsync) per event. */
const plain = (Database, schema) => ({
  key: 'plain',
  label: 'plain better-sqlite3',
  async open(file) {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(schema);
    const revisionOf = db.prepare('SELECT revision FROM streams WHERE stream = ?').safeIntegers(true);
    const insert = db.prepare(
      `INSERT INTO events (id, stream, revision, type, schema_version, data, metadata, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const upsert = db.prepare(
      `INSERT INTO streams (stream, revision) VALUES (?, ?)
       ON CONFLICT(stream) DO UPDATE SET revision = excluded.revision`,
    );
    const append = db.transaction((stream, expected, event) => {
      const current = revisionOf.get(stream)?.revision ?? -1n;
      if (current !== expected) throw Object.assign(new Error(`${stream} is at ${current}`), { code: 'WrongRevision' });
      const revision = current + 1n;
      insert.run(randomUUID(), stream, revision, event.type, event.schemaVersion,
        JSON.stringify(event.data), JSON.stringify(event.metadata), Date.now());
      upsert.run(stream, revision);
      return revision;
    });
    return {
      makeWriter(stream) {
        let revision = -1n;
        let n = 0;
        return async () => {
          revision = append.immediate(stream, revision, rentalBooked(stream, n++));
        };
      },
      close: async () => db.close(),
    };
  },
});

/**
 * Emmett as its docs set it up for a file: `getSQLiteEventStore({ fileName })`, whose pool
 * opens a fresh sqlite3 connection per operation (node-sqlite3 defaults: synchronous=FULL,
 * busy_timeout 1000 ms).
 */
const emmett = () => ({
  key: 'emmett',
  label: 'emmett-sqlite',
  // Its withTransaction console.logs every failed append (SQLITE_BUSY under concurrency), and
  // each new connection runs `PRAGMA journal_mode = WAL` without a callback, so a busy
  // database surfaces as an uncaught 'error' event: the bench counts those instead of dying.
  noisy: true,
  async open(file) {
    const store = getSQLiteEventStore({ fileName: file });
    // Its default pool closes each per-operation connection itself: nothing to close here.
    return { makeWriter: (stream) => emmettWriter(store, stream), close: async () => {} };
  },
});
