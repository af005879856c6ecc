/**
 * The two PostgreSQL event stores the bench compares. Each `open(url)` gets a fresh database
 * of its own and returns `{ makeWriter(stream), close() }` (writers: see writers.mjs).
 */
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_DIR } from './report.mjs';
import { emmettWriter, portWriter } from './writers.mjs';

export const ADAPTER_FILE = join(REPO_DIR, 'dist/shared/event-store/postgres/postgres-event-store.js');

export function loadContenders(PostgresEventStore = createRequire(ADAPTER_FILE)(ADAPTER_FILE).PostgresEventStore) {
  return [ours(PostgresEventStore), emmett()];
}

const ours = (PostgresEventStore) => ({
  key: 'ours',
  label: 'renvo PostgresEventStore',
  async open(url) {
    const store = await PostgresEventStore.connect(url);
    return { makeWriter: (stream) => portWriter(store, stream), close: () => store.close() };
  },
});

/** Emmett with its defaults (dumbo's pg pool); its schema is created here, before timing. */
const emmett = () => ({
  key: 'emmett',
  label: 'emmett-postgresql',
  async open(url) {
    const store = getPostgreSQLEventStore(url);
    await store.schema.migrate();
    return { makeWriter: (stream) => emmettWriter(store, stream), close: () => store.close() };
  },
});
