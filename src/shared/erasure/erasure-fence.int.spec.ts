import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describePostgres } from '../../../test/support/postgres';
import { SubjectKeyStore } from '../crypto/subject-key.store';
import { PostgresReadDb } from '../read-db/postgres-read-db';
import { ReadDb } from '../read-db/read-db.port';
import { READ_DB_SCHEMA } from '../read-db/read-db.schema';
import { SqliteReadDb } from '../read-db/sqlite-read-db';
import { ErasureFence } from './erasure-fence';

/** One serving process: its own connection, key cache and fence, on the shared database. */
function processOn(db: ReadDb) {
  const keys = new SubjectKeyStore(db);
  return { db, keys, fence: new ErasureFence(db, keys) };
}
type Process = ReturnType<typeof processOn>;

/** What SubjectErasure does in its transaction, reduced to the fence and the key. */
const erase = (p: Process, subjectId: string, during: () => Promise<void> = async () => undefined) =>
  p.db.transaction(async (tx) => {
    await p.fence.enterErasure(tx);
    await during();
    await p.keys.destroy(tx, subjectId);
    await p.fence.record(tx, subjectId);
  });
const batch = async (p: Process, during: () => Promise<void> = async () => undefined) => {
  const mark = await p.fence.mark();
  return p.db.transaction(async (tx) => {
    const stale = await p.fence.enterBatch(tx, mark);
    await during();
    return stale;
  });
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describeFence(name: string, open: () => Promise<{ a: Process; b: Process; close(): Promise<void> }>, blocking: boolean) {
  describe(`ErasureFence on ${name}`, () => {
    let a: Process;
    let b: Process;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ a, b, close } = await open());
    });
    afterEach(() => close());

    it("a batch after another process's erasure forgets the key at once and must decode again", async () => {
      const key = await a.keys.keyFor('cu_1', true);
      expect(await b.keys.find('cu_1')).toEqual(key);
      expect(await batch(b)).toBe(false);
      await erase(a, 'cu_1');
      // Well inside the key cache's TTL: only the fence can have told b.
      expect(await batch(b)).toBe(true);
      expect(await b.keys.find('cu_1')).toBeNull();
      expect(await batch(b)).toBe(false);
    });

    it('a batch decoded before a read caught up with an erasure is still decoded again', async () => {
      await a.keys.keyFor('cu_4', true);
      expect(await b.keys.find('cu_4')).not.toBeNull();
      const mark = await b.fence.mark();
      await erase(a, 'cu_4');
      // A history read in b applies the erasure between the batch's decode and its transaction.
      await b.fence.catchUp();
      expect(await b.keys.find('cu_4')).toBeNull();
      expect(await b.db.transaction((tx) => b.fence.enterBatch(tx, mark))).toBe(true);
    });

    if (!blocking) return;

    it('an erasure waits for the batch in flight, and a batch waits for the erasure in flight', async () => {
      await a.keys.keyFor('cu_2', true);
      await batch(b);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const order: string[] = [];
      const inFlight = batch(b, () => held).then(() => order.push('batch committed'));
      await sleep(50);
      const erasure = erase(a, 'cu_2').then(() => order.push('erasure committed'));
      await sleep(300);
      expect(order).toEqual([]);
      release();
      await Promise.all([inFlight, erasure]);
      expect(order).toEqual(['batch committed', 'erasure committed']);

      // The other way round: a batch that starts while the erasure is open sees it once it may go on.
      await a.keys.keyFor('cu_3', true);
      expect(await b.keys.find('cu_3')).not.toBeNull();
      let finish!: () => void;
      const open = new Promise<void>((resolve) => (finish = resolve));
      const slowErasure = erase(a, 'cu_3', () => open);
      await sleep(50);
      const waiting = batch(b);
      await sleep(300);
      finish();
      await slowErasure;
      expect(await waiting).toBe(true);
      expect(await b.keys.find('cu_3')).toBeNull();
    });
  });
}

/** Two processes on one database, each with its own connection; the schema made by the first. */
async function twoProcesses(open: () => Promise<ReadDb> | ReadDb, cleanup = () => undefined as void) {
  const first = await open();
  await first.exec(READ_DB_SCHEMA);
  const second = await open();
  return {
    a: processOn(first),
    b: processOn(second),
    async close() {
      await first.close();
      await second.close();
      cleanup();
    },
  };
}

describeFence(
  'SQLite (two connections to one file)',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'renvo-fence-'));
    return twoProcesses(
      () => new SqliteReadDb(join(dir, 'read.sqlite')),
      () => rmSync(dir, { recursive: true, force: true }),
    );
  },
  // One thread cannot hold a SQLite write transaction open while another connection of the
  // same thread waits for it: better-sqlite3 would block the event loop. One writer at a time
  // is SQLite's own guarantee there.
  false,
);

describePostgres('ErasureFence on a shared PostgreSQL', (pg) => {
  describeFence(
    'PostgreSQL (two pools on one schema)',
    async () => {
      const url = await pg.freshSchemaUrl();
      return twoProcesses(() => PostgresReadDb.connect(url));
    },
    true,
  );
});
