import { Inject, Injectable } from '@nestjs/common';
import { READ_DB, ReadDb, UniqueViolationError } from '../read-db/read-db.port';

const TTL_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyScope {
  accountId: string;
  livemode: boolean;
  key: string;
}

export interface StoredResult {
  fingerprint: string;
  status: number | null;
  body: unknown;
}

/** Idempotency records, keyed per account and mode, kept for 24 h. */
@Injectable()
export class IdempotencyRecords {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  /** 'claimed' when this request now owns the key, else what is stored for it. */
  async claim(scope: IdempotencyScope, fingerprint: string): Promise<'claimed' | StoredResult> {
    const ids = [scope.accountId, scope.livemode ? 1 : 0, scope.key];
    const now = Date.now();
    try {
      await this.db.run(
        `INSERT INTO idempotency_keys (account_id, livemode, idem_key, fingerprint, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [...ids, fingerprint, now],
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof UniqueViolationError)) throw error;
    }
    const row = await this.db.get<{ fingerprint: string; status: number | null; response: string | null; created_at: number }>(
      'SELECT fingerprint, status, response, created_at FROM idempotency_keys WHERE account_id = $1 AND livemode = $2 AND idem_key = $3',
      ids,
    );
    if (!row) return this.claim(scope, fingerprint);
    if (Number(row.created_at) < now - TTL_MS) {
      // Expired: take it over compare-and-set, so two retries cannot both re-run it.
      const { changes } = await this.db.run(
        `UPDATE idempotency_keys SET fingerprint = $4, status = NULL, response = NULL, resource_id = NULL, created_at = $5
         WHERE account_id = $1 AND livemode = $2 AND idem_key = $3 AND created_at = $6`,
        [...ids, fingerprint, now, row.created_at],
      );
      if (changes === 1) return 'claimed';
      return this.claim(scope, fingerprint);
    }
    return {
      fingerprint: row.fingerprint,
      status: row.status === null ? null : Number(row.status),
      body: row.response === null ? null : JSON.parse(row.response),
    };
  }

  async complete(scope: IdempotencyScope, status: number, body: unknown): Promise<void> {
    const resourceId = (body as { id?: unknown } | null)?.id;
    await this.db.run(
      `UPDATE idempotency_keys SET status = $4, response = $5, resource_id = $6
       WHERE account_id = $1 AND livemode = $2 AND idem_key = $3`,
      [scope.accountId, scope.livemode ? 1 : 0, scope.key, status, JSON.stringify(body ?? null), typeof resourceId === 'string' ? resourceId : null],
    );
  }

  async release(scope: IdempotencyScope): Promise<void> {
    await this.db.run('DELETE FROM idempotency_keys WHERE account_id = $1 AND livemode = $2 AND idem_key = $3', [
      scope.accountId,
      scope.livemode ? 1 : 0,
      scope.key,
    ]);
  }
}
