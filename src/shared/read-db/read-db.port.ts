/**
 * The database that holds read models, checkpoints, idempotency records, account keys and the
 * per-customer encryption keys: SQLite by default, PostgreSQL when DATABASE_URL is set.
 *
 * SQL is written once in a portable subset and runs on both: `$1..$n` placeholders,
 * `INSERT … ON CONFLICT … DO UPDATE`, TEXT / BIGINT / INTEGER columns, booleans as 0/1 and
 * JSON as TEXT. Integer columns come back as JS numbers on both dialects.
 */
export const READ_DB = Symbol('READ_DB');

export interface SqlExecutor {
  all<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T | undefined>;
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
}

export interface ReadDb extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs DDL (several statements) outside any transaction. */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction: everything it wrote commits together or not at all.
   * A projection's row updates and its checkpoint go through here.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * After an erasure (SPEC §8): pushes deleted content out of the files as far as the engine
   * allows. SQLite zeroes deleted rows itself (secure_delete) and here empties its WAL;
   * PostgreSQL does nothing (its dead tuples wait for VACUUM: docs/decisions.md).
   */
  purgeDeleted(): Promise<void>;
  close(): Promise<void>;
}

export interface TransactionOptions {
  /**
   * 'relaxed' skips the wait for the disk flush at commit (SQLite synchronous=NORMAL,
   * PostgreSQL synchronous_commit=off): a power cut may lose the last such commits but never
   * tears one. Only for data rebuilt from the log (read models with their checkpoint, which
   * roll back together and replay); keys, idempotency records and accounts stay 'full'.
   */
  durability?: 'full' | 'relaxed';
}

/** Thrown by `run` when a unique or primary-key constraint rejects a write. */
export class UniqueViolationError extends Error {
  constructor(cause: unknown) {
    super('unique constraint violated');
    this.name = 'UniqueViolationError';
    this.cause = cause;
  }
}
