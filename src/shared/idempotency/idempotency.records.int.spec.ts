import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describePostgres } from '../../../test/support/postgres';
import { PostgresReadDb } from '../read-db/postgres-read-db';
import { ReadDb } from '../read-db/read-db.port';
import { READ_DB_SCHEMA } from '../read-db/read-db.schema';
import { SqliteReadDb } from '../read-db/sqlite-read-db';
import { IdempotencyRecords } from './idempotency.records';

/** SPEC §8: an answer about a resource erased while its request ran is not kept. */
function describeRecords(name: string, open: () => Promise<{ db: ReadDb; cleanup(): void }>) {
  describe(`IdempotencyRecords and erasure on ${name}`, () => {
    let db: ReadDb;
    let cleanup: () => void;
    let records: IdempotencyRecords;
    beforeEach(async () => {
      ({ db, cleanup } = await open());
      await db.exec(READ_DB_SCHEMA);
      records = new IdempotencyRecords(db);
    });
    afterEach(async () => {
      await db.close();
      cleanup();
    });
    const scope = (key: string) => ({ accountId: 'acct_1', livemode: false, key });

    it('a request that completes after its resource was erased stores nothing; its key runs again', async () => {
      expect(await records.claim(scope('k1'), 'fp')).toBe('claimed');
      // The erasure commits while the request is still running (its claim names no resource yet).
      await db.transaction((tx) => records.forgetResources(tx, ['cu_1', 're_1']));
      await records.complete(scope('k1'), 200, { id: 're_1', delivery_location: '12 Plaintext Road' });
      expect(await db.all("SELECT idem_key FROM idempotency_keys WHERE response LIKE '%Plaintext%'")).toEqual([]);
      expect(await records.claim(scope('k1'), 'fp')).toBe('claimed');
    });

    it("the deletion's own answer (nothing personal in it) is kept and replayed", async () => {
      expect(await records.claim(scope('k3'), 'fp')).toBe('claimed');
      await db.transaction((tx) => records.forgetResources(tx, ['cu_3']));
      await records.complete(scope('k3'), 200, { id: 'cu_3', object: 'customer', deleted: true });
      expect(await records.claim(scope('k3'), 'fp')).toEqual({ fingerprint: 'fp', status: 200, body: { id: 'cu_3', object: 'customer', deleted: true } });
    });

    it('answers about other resources are stored and replayed as before', async () => {
      await db.transaction((tx) => records.forgetResources(tx, ['cu_1']));
      expect(await records.claim(scope('k2'), 'fp')).toBe('claimed');
      await records.complete(scope('k2'), 201, { id: 'cu_2', full_name: 'Kept' });
      expect(await records.claim(scope('k2'), 'fp')).toEqual({ fingerprint: 'fp', status: 201, body: { id: 'cu_2', full_name: 'Kept' } });
    });
  });
}

describeRecords('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'renvo-idem-'));
  return { db: new SqliteReadDb(join(dir, 'read.sqlite')), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
});

describePostgres('IdempotencyRecords on PostgreSQL', (pg) => {
  describeRecords('PostgreSQL', async () => ({ db: await PostgresReadDb.connect(await pg.freshSchemaUrl()), cleanup: () => undefined }));
});
