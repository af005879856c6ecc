import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresReadDb } from '../../src/shared/read-db/postgres-read-db';
import { ReadDb, UniqueViolationError } from '../../src/shared/read-db/read-db.port';
import { SqliteReadDb } from '../../src/shared/read-db/sqlite-read-db';
import { describePostgres } from '../support/postgres';

type Opened = { db: ReadDb; cleanup(): Promise<void> };

const SCHEMA = `
DROP TABLE IF EXISTS items;
CREATE TABLE items (
  id     TEXT    PRIMARY KEY,
  qty    INTEGER NOT NULL,
  total  BIGINT  NOT NULL,
  active INTEGER NOT NULL,
  note   TEXT
);`;
const INSERT = 'INSERT INTO items (id, qty, total, active, note) VALUES ($1, $2, $3, $4, $5)';

/** The same portable SQL must behave the same on both dialects: this is what projections rely on. */
function describeReadDbContract(name: string, open: () => Promise<Opened>): void {
  describe(`${name} read database`, () => {
    let opened: Opened;
    let db: ReadDb;
    beforeEach(async () => {
      opened = await open();
      db = opened.db;
      await db.exec(SCHEMA);
    });
    afterEach(() => opened.cleanup());

    it('binds $n placeholders, also one used twice, and reports changed rows', async () => {
      expect(await db.run(INSERT, ['a', 5, 5, true, undefined])).toEqual({ changes: 1 });
      await db.run(INSERT, ['b', 5, 7, false, 'x']);
      expect(await db.all('SELECT id FROM items WHERE qty = $1 AND total = $1', [5])).toEqual([{ id: 'a' }]);
      expect(await db.run('UPDATE items SET note = $1 WHERE qty = $2', ['n', 5])).toEqual({ changes: 2 });
      expect(await db.get('SELECT id FROM items WHERE id = $1', ['missing'])).toBeUndefined();
    });

    it('returns integers, counts and sums as JS numbers and booleans as 0/1', async () => {
      await db.run(INSERT, ['a', 2, 2 ** 40, true, null]);
      await db.run(INSERT, ['b', 3, 1, false, null]);
      expect(await db.get('SELECT qty, total, active, note FROM items WHERE id = $1', ['a'])).toEqual({
        qty: 2,
        total: 2 ** 40,
        active: 1,
        note: null,
      });
      const sums = await db.get('SELECT COUNT(*) AS n, SUM(qty) AS q, SUM(total) AS t FROM items');
      expect(sums).toEqual({ n: 2, q: 5, t: 2 ** 40 + 1 });
    });

    it('upserts with ON CONFLICT … DO UPDATE', async () => {
      const upsert = `${INSERT} ON CONFLICT (id) DO UPDATE SET qty = items.qty + excluded.qty`;
      await db.run(upsert, ['a', 1, 0, 0, null]);
      await db.run(upsert, ['a', 2, 0, 0, null]);
      expect(await db.get('SELECT qty FROM items WHERE id = $1', ['a'])).toEqual({ qty: 3 });
    });

    it('a transaction commits all its writes together and sees its own writes', async () => {
      const seen = await db.transaction(async (tx) => {
        await tx.run(INSERT, ['a', 1, 1, 1, null]);
        await tx.run(INSERT, ['b', 1, 1, 1, null]);
        return tx.all<{ id: string }>('SELECT id FROM items ORDER BY id');
      });
      expect(seen).toEqual([{ id: 'a' }, { id: 'b' }]);
      expect(await db.all('SELECT id FROM items ORDER BY id')).toEqual([{ id: 'a' }, { id: 'b' }]);
    });

    it('a transaction that throws leaves nothing behind', async () => {
      const failing = db.transaction(async (tx) => {
        await tx.run(INSERT, ['a', 1, 1, 1, null]);
        throw new Error('projection bug');
      });
      await expect(failing).rejects.toThrow('projection bug');
      expect(await db.all('SELECT id FROM items')).toEqual([]);
    });

    it('a duplicate key is a UniqueViolationError, in and out of a transaction', async () => {
      await db.run(INSERT, ['a', 1, 1, 1, null]);
      await expect(db.run(INSERT, ['a', 1, 1, 1, null])).rejects.toBeInstanceOf(UniqueViolationError);
      const failing = db.transaction(async (tx) => {
        await tx.run(INSERT, ['b', 1, 1, 1, null]);
        await tx.run(INSERT, ['a', 1, 1, 1, null]);
      });
      await expect(failing).rejects.toBeInstanceOf(UniqueViolationError);
      expect(await db.all('SELECT id FROM items')).toEqual([{ id: 'a' }]);
    });

    it('concurrent writes each keep their own success or failure', async () => {
      await db.run(INSERT, ['taken', 1, 1, 1, null]);
      const ids = Array.from({ length: 10 }, (_, i) => (i === 4 ? 'taken' : `id-${i}`));
      const results = await Promise.allSettled(ids.map((id) => db.run(INSERT, [id, 1, 1, 1, null])));
      expect(results.map((r) => r.status)).toEqual(ids.map((id) => (id === 'taken' ? 'rejected' : 'fulfilled')));
      expect((results[4] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueViolationError);
      expect(await db.get('SELECT COUNT(*) AS n FROM items')).toEqual({ n: 10 });
    });
  });
}

describeReadDbContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'renvo-readdb-'));
  const db = new SqliteReadDb(join(dir, 'read.db'));
  return {
    db,
    async cleanup() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describePostgres('PostgreSQL read database', (pg) => {
  describeReadDbContract('PostgreSQL', async () => {
    const db = await PostgresReadDb.connect(await pg.freshSchemaUrl());
    return { db, cleanup: () => db.close() };
  });

  it('connect names DATABASE_URL, without the password, when the server cannot be reached', async () => {
    const error: Error = await PostgresReadDb.connect('postgres://renvo:secret@127.0.0.1:1/none').catch((e) => e);
    expect(error.message).toMatch(/DATABASE_URL/);
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).not.toContain('secret');
  });
});
