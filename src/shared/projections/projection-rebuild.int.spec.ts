import { SubjectKeyStore } from '../crypto/subject-key.store';
import { ErasureFence } from '../erasure/erasure-fence';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heldBack } from '../../../test/support/held-back-store';
import { describePostgres } from '../../../test/support/postgres';
import { EventCodecs, Envelope } from '../event-store/event-codec';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { PostgresReadDb } from '../read-db/postgres-read-db';
import { ReadDb } from '../read-db/read-db.port';
import { READ_DB_SCHEMA } from '../read-db/read-db.schema';
import { SqliteReadDb } from '../read-db/sqlite-read-db';
import { CheckpointStore } from './checkpoint.store';
import { Projection } from './projection';
import { ProjectionRebuild, RebuildInterruptedError } from './projection-rebuild';
import { ProjectionRunner } from './projection-runner';
import { swapRebuiltTable } from './projection-swap';

/** Counts and sums per stream: an event applied twice or skipped changes the row. */
const tally: Projection<{ count: number; sum: number; revisions: number[] }> = {
  name: 'tally',
  table: 'rm_tally',
  streamPrefixes: ['item-'],
  columns: { count: { type: 'INTEGER', value: (r) => r.count } },
  indexes: ['CREATE INDEX IF NOT EXISTS {table}_count ON {table} (count)'],
  rowId: (e: Envelope) => e.streamName,
  evolve: (row, e) => ({
    count: (row?.count ?? 0) + 1,
    sum: (row?.sum ?? 0) + (e.data as { n: number }).n,
    revisions: [...(row?.revisions ?? []), Number(e.revision)],
  }),
};

const counted = (n: number) => ({ type: 'Counted', schemaVersion: 1, data: { n } });
const noise = { type: 'Noise', schemaVersion: 1, data: {} };

function describeRebuild(name: string, openDb: (dir: string) => Promise<ReadDb>) {
  describe(`rebuilding a read model (${name} read database)`, () => {
    let dir: string;
    let store: SqliteEventStore;
    let db: ReadDb;
    let held: ReturnType<typeof heldBack>;
    let runner: ProjectionRunner;
    let rebuild: ProjectionRebuild;
    const checkpoints = () => new CheckpointStore(db);

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'renvo-rebuild-'));
      store = new SqliteEventStore(join(dir, 'events.sqlite'));
      db = await openDb(dir);
      await db.exec(READ_DB_SCHEMA);
      held = heldBack(store);
      runner = new ProjectionRunner(held.view, db, [tally], new EventCodecs(), checkpoints(), new ErasureFence(db, new SubjectKeyStore(db)));
      await runner.onApplicationBootstrap();
      rebuild = new ProjectionRebuild(store, db, new EventCodecs(), checkpoints());
    });
    afterEach(async () => {
      await runner.stop();
      await store.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });

    async function append(count: number): Promise<bigint> {
      let position = 0n;
      for (let i = 0; i < count; i++) {
        const stream = `item-${i % 7}`;
        ({ position } = await store.appendToStream(stream, [counted(i)], { expectedRevision: 'any' }));
        // A stream no projection reads: it must not stop a checkpoint from moving past it.
        if (i % 10 === 0) await store.appendToStream(`other-${i}`, [noise], { expectedRevision: 'any' });
      }
      return store.headPosition();
    }
    const rows = (table: string) => db.all(`SELECT id, count, doc FROM ${table} ORDER BY id`);

    it('fills a side table while the live one keeps serving, then swaps in the same rows', async () => {
      await runner.waitFor(await append(60));
      const live = await rows('rm_tally');
      const built = await rebuild.build(tally, { batchSize: 7 });
      expect(built).toMatchObject({ resumedFrom: 0n, position: await store.headPosition() });
      expect(await rows('rm_tally__rebuild')).toEqual(live);
      expect(await rows('rm_tally')).toEqual(live);
      expect((await rebuild.status([tally]))[0]).toMatchObject({ state: 'rebuilding', lag: 0 });

      await rebuild.run(tally);
      expect(await rows('rm_tally')).toEqual(live);
      expect((await rebuild.status([tally]))[0]).toMatchObject({ state: 'live', lag: 0 });
      // Through the writer: the side table was renamed away, so it no longer exists.
      // Not `rejects.toThrow()`: better-sqlite3's native error may belong to another jest realm.
      const read = db.transaction((tx) => tx.get('SELECT 1 FROM rm_tally__rebuild'));
      expect(await read.then(() => 'found', () => 'missing')).toBe('missing');
    });

    it('a stopped rebuild resumes from its own checkpoint, not from 0', async () => {
      await runner.waitFor(await append(80));
      const stop = new AbortController();
      const stopAfter30 = (p: { events: number }) => p.events >= 30 && stop.abort();
      const first = rebuild.build(tally, { batchSize: 10, onProgress: stopAfter30, signal: stop.signal });
      await expect(first).rejects.toBeInstanceOf(RebuildInterruptedError);
      const stoppedAt = await checkpoints().load('tally:rebuild');
      expect(stoppedAt).toBeGreaterThan(0n);

      const second = await rebuild.run(tally, { batchSize: 10 });
      expect(second.resumedFrom).toBe(stoppedAt);
      expect(await rows('rm_tally')).toEqual(await rowsOfFreshBuild());
    });

    it('catches up inside the swap with what the live runner applied meanwhile', async () => {
      await runner.waitFor(await append(30));
      await rebuild.build(tally);
      await runner.waitFor(await append(25));
      const live = await rows('rm_tally');
      const swappedAt = (await rebuild.run(tally, { batchSize: 4 })).swappedAt;
      expect(swappedAt).toBe(await checkpoints().load('tally'));
      expect(await rows('rm_tally')).toEqual(live);
    });

    it('a live runner left behind by the swap reloads its checkpoint: nothing twice, nothing lost', async () => {
      held.limit = await runner.waitFor(await append(20)).then(() => store.headPosition());
      await append(15);
      const { swappedAt } = await rebuild.run(tally);
      expect(swappedAt).toBeGreaterThan(held.limit!);
      held.limit = null;
      await runner.waitFor(await append(10));
      expect(await rows('rm_tally')).toEqual(await rowsOfFreshBuild());
    });

    it('a swap racing a stream of live writes loses and doubles nothing', async () => {
      await runner.waitFor(await append(40));
      let writing = true;
      const writer = (async () => {
        while (writing) runner.wake(), await append(3);
      })();
      await rebuild.run(tally, { batchSize: 5 });
      writing = false;
      await writer;
      await runner.waitFor(await store.headPosition());
      expect(await rows('rm_tally')).toEqual(await rowsOfFreshBuild());
    });

    it('swaps in one attempt when a runner batch that only moved the checkpoint commits mid-swap', async () => {
      const live = await runner.waitFor(await append(20)).then(() => store.headPosition());
      held.limit = live;
      await rebuild.build(tally);
      // Events no tally row reads: a runner batch over them moves the checkpoint, not the table.
      for (let i = 0; i < 3; i++) await store.appendToStream(`other-late-${i}`, [noise], { expectedRevision: 'any' });
      const head = await store.headPosition();
      let commitRunner!: () => void;
      let runnerMoved!: () => void;
      const moved = new Promise<void>((resolve) => (runnerMoved = resolve));
      const runnerBatch = db.transaction(async (tx) => {
        await checkpoints().advance(tx, 'tally', live, head);
        runnerMoved();
        await new Promise<void>((resolve) => (commitRunner = resolve));
      });
      await moved;
      let attempts = 0;
      const swap = swapRebuiltTable(db, checkpoints(), tally, (tx, after) => rebuild.applyNext(tally, after, 500, tx), async () => {
        attempts++;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      commitRunner();
      await runnerBatch;
      expect(await swap).toBe(head);
      expect(attempts).toBe(1);
      expect(await rows('rm_tally')).toEqual(await rowsOfFreshBuild());
    });

    /** What a rebuild from position 0 makes of the whole log now (side table, not swapped). */
    async function rowsOfFreshBuild() {
      await rebuild.build(tally, { restart: true });
      return rows('rm_tally__rebuild');
    }
  });
}

describeRebuild('SQLite', async (dir) => new SqliteReadDb(join(dir, 'read.sqlite')));
describePostgres('rebuild on PostgreSQL', (pg) => {
  describeRebuild('PostgreSQL', async () => PostgresReadDb.connect(await pg.freshSchemaUrl()));
});
