import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { newId } from '../ids';
import { READ_DB, ReadDb } from '../read-db/read-db.port';

export type KeyScope = 'read' | 'read_write';
export type Mode = 'live' | 'test';

export interface ApiKey {
  id: string;
  accountId: string;
  livemode: boolean;
  scope: KeyScope;
  revoked: boolean;
}

export interface CreatedKey {
  id: string;
  mode: Mode;
  scope: KeyScope;
  secret: string;
}

/**
 * Accounts and API keys. Secrets are random (~190 bits), so a plain SHA-256 is the right
 * hash: slow password hashes protect low-entropy secrets, and would cost every request.
 * Lookups hit the database each time so a revoked key is refused at once, in every process.
 */
@Injectable()
export class AccountsRepository {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  async createAccount(name: string): Promise<{ id: string; object: 'account'; name: string; created_at: string }> {
    const id = newId('acct', 16);
    const now = Date.now();
    await this.db.run('INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)', [id, name, now]);
    return { id, object: 'account', name, created_at: new Date(now).toISOString() };
  }

  async accountExists(id: string): Promise<boolean> {
    return !!(await this.db.get('SELECT id FROM accounts WHERE id = $1', [id]));
  }

  async countAccounts(): Promise<number> {
    const row = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM accounts');
    return Number(row?.n ?? 0);
  }

  async createKey(accountId: string, mode: Mode, scope: KeyScope): Promise<CreatedKey> {
    const id = newId('key', 16);
    const secret = `${newId(`rv_${mode}`, 32)}`;
    await this.db.run(
      `INSERT INTO api_keys (id, account_id, livemode, scope, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, accountId, mode === 'live' ? 1 : 0, scope, hashSecret(secret), Date.now()],
    );
    return { id, mode, scope, secret };
  }

  /** Marks the key revoked; false when no such key exists. */
  async revokeKey(id: string): Promise<boolean> {
    const { changes } = await this.db.run(
      'UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL',
      [Date.now(), id],
    );
    if (changes === 1) return true;
    return !!(await this.db.get('SELECT id FROM api_keys WHERE id = $1', [id]));
  }

  async findBySecret(secret: string): Promise<ApiKey | null> {
    const row = await this.db.get<{ id: string; account_id: string; livemode: number; scope: KeyScope; revoked_at: number | null }>(
      'SELECT id, account_id, livemode, scope, revoked_at FROM api_keys WHERE secret_hash = $1',
      [hashSecret(secret)],
    );
    if (!row) return null;
    return {
      id: row.id,
      accountId: row.account_id,
      livemode: Number(row.livemode) === 1,
      scope: row.scope,
      revoked: row.revoked_at !== null,
    };
  }
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
