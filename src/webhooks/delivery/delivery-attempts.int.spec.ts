import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describePostgres } from '../../../test/support/postgres';
import { PostgresReadDb } from '../../shared/read-db/postgres-read-db';
import { ReadDb } from '../../shared/read-db/read-db.port';
import { SqliteReadDb } from '../../shared/read-db/sqlite-read-db';
import { WEBHOOKS_SCHEMA } from '../webhooks.schema';
import { AttemptRecord, DeliveryAttempts } from './delivery-attempts';

/** Attempts that finish together share one transaction, and still keep their own outcomes. */
function describeAttempts(name: string, open: () => Promise<{ db: ReadDb; cleanup(): void }>) {
  describe(`DeliveryAttempts group recording on ${name}`, () => {
    let cleanup: () => void;
    let db: ReadDb;
    let attempts: DeliveryAttempts;
    let transactions: number;

    beforeEach(async () => {
      ({ db, cleanup } = await open());
      await db.exec(WEBHOOKS_SCHEMA);
      await db.run(
        `INSERT INTO webhook_endpoints (id, account_id, livemode, url, enabled_events, disabled, secret, sort_key, created_at, updated_at)
         VALUES ('we_1', 'acct_1', 0, 'http://127.0.0.1/hook', '["*"]', 0, 'whsec_x', 'k', 0, 0)`,
      );
      for (const id of ['wd_1', 'wd_2', 'wd_3']) {
        await db.run(
          `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, resource_id, seq, status, attempt_count, sort_key, created_at, locked_until)
           VALUES ($1, 'we_1', $2, 'customer.created', 'cu_1', '1', 'pending', 0, $1, 0, 999999999999999)`,
          [id, `ev_${id}`],
        );
      }
      transactions = 0;
      const transaction = db.transaction.bind(db);
      db.transaction = ((fn, options) => (transactions++, transaction(fn, options))) as typeof db.transaction;
      attempts = new DeliveryAttempts(db);
    });
    afterEach(async () => {
      await db.close();
      cleanup();
    });

    const attempt = (deliveryId: string, outcome: 'succeeded' | 'retry', attemptNo = 1): AttemptRecord => ({
      deliveryId,
      endpointId: 'we_1',
      attempt: attemptNo,
      attemptedAt: 1_000,
      result: { statusCode: outcome === 'succeeded' ? 200 : 500, durationMs: 3, responseExcerpt: null, error: null, retryAfter: null },
      decision: { outcome, nextAttemptAt: outcome === 'retry' ? 6_000 : null, disableEndpoint: false, receiverAskedToWait: false },
    });
    // PostgreSQL returns BIGINT as text.
    const num = (v: unknown) => (v === null ? null : Number(v));
    const deliveries = async () =>
      (await db.all<Record<string, unknown>>('SELECT id, status, attempt_count, next_attempt_at, locked_until FROM webhook_deliveries ORDER BY id')).map(
        (r) => ({
          id: r.id as string,
          status: r.status as string,
          attempt_count: num(r.attempt_count),
          next_attempt_at: num(r.next_attempt_at),
          locked_until: num(r.locked_until),
        }),
      );

    it('records attempts finished in one turn in one transaction, each with its own outcome', async () => {
      await Promise.all([attempts.record(attempt('wd_1', 'succeeded')), attempts.record(attempt('wd_2', 'retry'))]);
      expect(transactions).toBe(1);
      expect(await deliveries()).toEqual([
        { id: 'wd_1', status: 'succeeded', attempt_count: 1, next_attempt_at: null, locked_until: null },
        { id: 'wd_2', status: 'pending', attempt_count: 1, next_attempt_at: 6_000, locked_until: null },
        { id: 'wd_3', status: 'pending', attempt_count: 0, next_attempt_at: null, locked_until: 999999999999999 },
      ]);
      const rows = await db.all<Record<string, unknown>>('SELECT delivery_id, attempt, status_code FROM webhook_attempts ORDER BY delivery_id');
      expect(rows.map((r) => ({ ...r, attempt: num(r.attempt), status_code: num(r.status_code) }))).toEqual([
        { delivery_id: 'wd_1', attempt: 1, status_code: 200 },
        { delivery_id: 'wd_2', attempt: 1, status_code: 500 },
      ]);
    });

    it('one record that cannot be written fails alone; the others in its batch are recorded', async () => {
      // An attempt row that already exists: recording attempt 1 of wd_3 again breaks its key.
      await db.run(`INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, duration_ms) VALUES ('wd_3', 1, 0, 0)`);
      const outcomes = await Promise.allSettled([
        attempts.record(attempt('wd_1', 'succeeded')),
        attempts.record(attempt('wd_3', 'succeeded')),
        attempts.record(attempt('wd_2', 'retry')),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const rows = await deliveries();
      expect(rows.map((r) => [r.id, r.status])).toEqual([['wd_1', 'succeeded'], ['wd_2', 'pending'], ['wd_3', 'pending']]);
      // wd_3's lease stays: the send is repeated when it lapses, never lost.
      expect(rows[2].locked_until).toBe(999999999999999);
    });
  });
}

describeAttempts('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'renvo-attempts-'));
  return { db: new SqliteReadDb(join(dir, 'read.sqlite')), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
});

describePostgres('DeliveryAttempts on PostgreSQL', (pg) => {
  describeAttempts('PostgreSQL', async () => ({ db: await PostgresReadDb.connect(await pg.freshSchemaUrl()), cleanup: () => undefined }));
});
