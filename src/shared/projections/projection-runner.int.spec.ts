import { SubjectKeyStore } from '../crypto/subject-key.store';
import { ErasureFence } from '../erasure/erasure-fence';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventCodecs, Envelope } from '../event-store/event-codec';
import { heldBack } from '../../../test/support/held-back-store';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { SqlExecutor } from '../read-db/read-db.port';
import { READ_DB_SCHEMA } from '../read-db/read-db.schema';
import { SqliteReadDb } from '../read-db/sqlite-read-db';
import { CheckpointStore } from './checkpoint.store';
import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

/** Counts events per stream: an event applied twice or skipped changes the row. */
const counter = (name: string): Projection<{ count: number }> => ({
  name,
  table: `rm_${name}`,
  streamPrefixes: ['item-'],
  columns: { count: { type: 'INTEGER', value: (r) => r.count } },
  indexes: [],
  rowId: (e: Envelope) => e.streamName,
  evolve: (row) => ({ count: (row?.count ?? 0) + 1 }),
});

describe('projection runner with projections at different checkpoints', () => {
  let dir: string;
  let store: SqliteEventStore;
  let db: SqliteReadDb;
  const runners: ProjectionRunner[] = [];
  const start = async (projections: Projection[]) => {
    const runner = new ProjectionRunner(store, db, projections, new EventCodecs(), new CheckpointStore(db), new ErasureFence(db, new SubjectKeyStore(db)));
    runners.push(runner);
    await runner.onApplicationBootstrap();
    return runner;
  };
  const counts = async (table: string) =>
    (await db.all<{ id: string; count: number }>(`SELECT id, count FROM ${table} ORDER BY id`)).map((r) => r.count);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'renvo-runner-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    db = new SqliteReadDb(join(dir, 'read.sqlite'));
    await db.exec(READ_DB_SCHEMA);
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    await store.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a checkpoint reload that fails after a conflict is retried, never an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let failLoads = 0;
      class FlakyCheckpoints extends CheckpointStore {
        override async load(name: string, tx?: SqlExecutor) {
          if (failLoads > 0 && failLoads--) throw new Error('connection terminated');
          return super.load(name, tx);
        }
      }
      // This runner sees no event until the hold is lifted: another process's runner gets ahead.
      const held = heldBack(store);
      held.limit = 0n;
      const behind = new ProjectionRunner(held.view, db, [counter('c')], new EventCodecs(), new FlakyCheckpoints(db), new ErasureFence(db, new SubjectKeyStore(db)));
      runners.push(behind);
      await behind.onApplicationBootstrap();
      const ahead = await start([counter('c')]);
      const append = () => store.appendToStream('item-1', [{ type: 'Counted', schemaVersion: 1, data: {} }], { expectedRevision: 'any' });
      await append();
      const head = (await append()).position;
      await ahead.waitFor(head);

      // Its batch conflicts, and the reload that follows fails once; the poll tries again.
      failLoads = 1;
      held.limit = null;
      await behind.waitFor(head);
      expect(failLoads).toBe(0);
      expect(unhandled).toEqual([]);
      expect(await counts('rm_c')).toEqual([2]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('adding a read model to a log of thousands of events applies nothing twice to the others', async () => {
    // More than one runner batch (1,000 events) of history, so the new projection's first
    // batches end far below the existing projection's checkpoint.
    for (let i = 0; i < 5; i++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, s) =>
          store.appendToStream(`item-${s}`, Array.from({ length: 50 }, () => ({ type: 'Counted', schemaVersion: 1, data: {} })), {
            expectedRevision: 'any',
          }),
        ),
      );
    }
    await (await start([counter('old')])).stop();
    expect(await counts('rm_old')).toEqual(Array(10).fill(250));

    const runner = await start([counter('old'), counter('added')]);
    await runner.waitFor(await store.headPosition());
    expect(await counts('rm_added')).toEqual(Array(10).fill(250));
    expect(await counts('rm_old')).toEqual(Array(10).fill(250));
    const checkpoint = await new CheckpointStore(db).load('old');
    expect(checkpoint).toBe(await store.headPosition());
  });
});
