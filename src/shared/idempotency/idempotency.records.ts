import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { newId } from '../ids';
import { READ_DB, ReadDb, SqlExecutor, UniqueViolationError } from '../read-db/read-db.port';

const TTL_MS = 24 * 60 * 60 * 1000;
/** How long another process's unanswered claim counts as still running (shared PostgreSQL). */
const FOREIGN_CLAIM_LEASE_MS = 60_000;
const PURGE_EVERY_MS = 10 * 60_000;

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
export class IdempotencyRecords implements OnModuleInit, OnApplicationShutdown {
  /** Who owns the claims this process makes; a new start is a new owner. */
  private readonly owner = newId('proc', 12);
  private purgeTimer?: NodeJS.Timeout;

  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  /**
   * Records are kept 24 h, then deleted: they hold whole responses (personal data, webhook
   * secrets), so an expired one must not linger until its key happens to come back.
   */
  onModuleInit(): void {
    const purge = () => void this.purgeExpired().catch(() => undefined); // retried on the next tick
    purge();
    this.purgeTimer = setInterval(purge, PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.purgeTimer);
  }

  async purgeExpired(now = Date.now()): Promise<number> {
    const { changes } = await this.db.run('DELETE FROM idempotency_keys WHERE created_at < $1', [now - TTL_MS]);
    // No request runs for a day: nothing still in flight can be about these any more.
    await this.db.run('DELETE FROM erased_resources WHERE erased_at < $1', [now - TTL_MS]);
    return changes;
  }

  /** 'claimed' when this request now owns the key, else what is stored for it. */
  async claim(scope: IdempotencyScope, fingerprint: string): Promise<'claimed' | StoredResult> {
    const ids = [scope.accountId, scope.livemode ? 1 : 0, scope.key];
    const now = Date.now();
    try {
      await this.db.run(
        `INSERT INTO idempotency_keys (account_id, livemode, idem_key, fingerprint, owner, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [...ids, fingerprint, this.owner, now],
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof UniqueViolationError)) throw error;
    }
    const row = await this.db.get<{
      fingerprint: string;
      status: number | null;
      response: string | null;
      owner: string | null;
      created_at: number;
    }>(
      'SELECT fingerprint, status, response, owner, created_at FROM idempotency_keys WHERE account_id = $1 AND livemode = $2 AND idem_key = $3',
      ids,
    );
    if (!row) return this.claim(scope, fingerprint);
    const expired = Number(row.created_at) < now - TTL_MS;
    if (expired || (row.status === null && row.fingerprint === fingerprint && this.isAbandoned(row, now))) {
      // Take it over compare-and-set, so two retries cannot both re-run it. An abandoned
      // claim's request may have written already: resource ids derive from the key
      // (newResourceId), so the re-run finds that work instead of doing it twice.
      const { changes } = await this.db.run(
        `UPDATE idempotency_keys SET fingerprint = $4, status = NULL, response = NULL, resource_id = NULL,
           owner = $5, created_at = $6
         WHERE account_id = $1 AND livemode = $2 AND idem_key = $3 AND created_at = $7`,
        [...ids, fingerprint, this.owner, now, row.created_at],
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

  /**
   * An unanswered claim by another owner was cut off by a crash. The embedded SQLite store
   * has one process per data dir, so any other owner is a previous, dead start; on a shared
   * PostgreSQL another process may still be working on it, so it gets a lease first.
   */
  private isAbandoned(row: { owner: string | null; created_at: number }, now: number): boolean {
    if (row.owner === this.owner) return false;
    return this.db.dialect === 'sqlite' || Number(row.created_at) < now - FOREIGN_CLAIM_LEASE_MS;
  }

  async complete(scope: IdempotencyScope, status: number, body: unknown): Promise<void> {
    const { id: resourceId, deleted } = (body ?? {}) as { id?: unknown; deleted?: unknown };
    const ids = [scope.accountId, scope.livemode ? 1 : 0, scope.key];
    // A deletion's own answer ({id, object, deleted: true}) holds nothing personal: it is kept.
    const unlessErased = deleted === true ? '' : 'AND NOT EXISTS (SELECT 1 FROM erased_resources WHERE resource_id = $6)';
    const store = async (executor: SqlExecutor) => {
      const { changes } = await executor.run(
        `UPDATE idempotency_keys SET status = $4, response = $5, resource_id = $6
         WHERE account_id = $1 AND livemode = $2 AND idem_key = $3 ${unlessErased}`,
        [...ids, status, JSON.stringify(body ?? null), typeof resourceId === 'string' ? resourceId : null],
      );
      // SPEC §8: the resource was erased while this request ran, so no copy of its answer is
      // kept; a retry with the key runs again and meets the erasure.
      if (changes === 0 && typeof resourceId === 'string') {
        await executor.run('DELETE FROM idempotency_keys WHERE account_id = $1 AND livemode = $2 AND idem_key = $3', ids);
      }
    };
    // SQLite has one writer: the statement runs wholly before or after an erasure. On
    // PostgreSQL the SHARE lock makes an erasure (which inserts into erased_resources) wait,
    // or waits for it, so the check cannot miss one committing meanwhile.
    if (this.db.dialect !== 'postgres') return store(this.db);
    await this.db.transaction(async (tx) => {
      await tx.run('LOCK TABLE erased_resources IN SHARE MODE');
      await store(tx);
    });
  }

  /**
   * SPEC §8: the stored responses about these resources hold their personal data; an erasure
   * deletes them (in its transaction), and remembers the resources so that a request still
   * running about one of them cannot store its answer afterwards (its claim names no resource
   * yet). A retry of such a request then runs again and meets the deleted resource: 404, or
   * for a create the refusal of a deleted id.
   */
  async forgetResources(tx: SqlExecutor, resourceIds: string[]): Promise<void> {
    if (resourceIds.length === 0) return;
    const now = Date.now();
    // First, so a completion holding its lock is waited for before any row is touched here.
    await tx.run(
      `INSERT INTO erased_resources (resource_id, erased_at) VALUES ${resourceIds.map((_, i) => `($${i + 2}, $1)`).join(', ')}
       ON CONFLICT (resource_id) DO NOTHING`,
      [now, ...resourceIds],
    );
    await tx.run(
      `DELETE FROM idempotency_keys WHERE resource_id IN (${resourceIds.map((_, i) => `$${i + 1}`).join(', ')})`,
      resourceIds,
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
