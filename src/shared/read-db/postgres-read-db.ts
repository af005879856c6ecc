import { CustomTypesConfig, Pool, PoolClient, QueryResultRow, types } from 'pg';
import { ReadDb, SqlExecutor, TransactionOptions, UniqueViolationError } from './read-db.port';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * The port promises integers as JS numbers on both dialects: COUNT(*) is int8 and SUM(bigint)
 * is numeric in PostgreSQL, which pg would return as strings. Set per query, so other pg users
 * in the process keep the library defaults.
 */
const READ_DB_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === NUMERIC_OID ? (value: string) => Number(value) : types.getTypeParser(oid, format),
} as CustomTypesConfig;

/**
 * PostgreSQL read-model database. Every statement autocommits on a pooled connection (the
 * server groups concurrent commits into one WAL flush by itself); `transaction()` pins one
 * client for BEGIN … COMMIT. Unlike SQLite, a failed statement inside a transaction aborts
 * it: callers let the error propagate and the whole transaction rolls back.
 */
export class PostgresReadDb implements ReadDb {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;

  constructor(connection: string | Pool, options: { poolSize?: number } = {}) {
    this.ownsPool = typeof connection === 'string';
    this.pool =
      typeof connection === 'string'
        ? new Pool({ connectionString: connection, max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 })
        : connection;
    // An idle client's network error is emitted on the pool; unhandled it would crash the
    // process, while the pool already drops that client and reconnects on the next query.
    if (this.ownsPool) this.pool.on('error', () => undefined);
  }

  /** Opens the pool and proves the server answers; fails with a message naming DATABASE_URL. */
  static async connect(url: string, options: { poolSize?: number } = {}): Promise<PostgresReadDb> {
    const db = new PostgresReadDb(url, options);
    try {
      await db.pool.query('SELECT 1');
      return db;
    } catch (error) {
      await db.close().catch(() => undefined);
      throw new Error(
        `PostgreSQL read database unavailable at ${redact(url)} (check DATABASE_URL): ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return runOn(this.pool, sql, params).then((r) => r.rows as T[]);
  }

  get<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return runOn(this.pool, sql, params).then((r) => r.rows[0] as T | undefined);
  }

  run(sql: string, params: unknown[] = []): Promise<{ changes: number }> {
    return runOn(this.pool, sql, params).then((r) => ({ changes: r.rowCount ?? 0 }));
  }

  async exec(sql: string): Promise<void> {
    // No parameters: pg uses the simple protocol, which accepts several statements.
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      // Read models are rebuilt from the log: their commit need not wait for the WAL flush.
      if (options.durability === 'relaxed') await client.query('SET LOCAL synchronous_commit = off');
      const tx: SqlExecutor = {
        all: (sql, params = []) => runOn(client, sql, params).then((r) => r.rows as never),
        get: (sql, params = []) => runOn(client, sql, params).then((r) => r.rows[0] as never),
        run: (sql, params = []) => runOn(client, sql, params).then((r) => ({ changes: r.rowCount ?? 0 })),
      };
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A client whose ROLLBACK fails is in an unknown state: destroy it, never reuse it.
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Dead tuples are reclaimed by (auto)VACUUM, which cannot run in a request: see docs/decisions.md. */
  async purgeDeleted(): Promise<void> {}

  async close(): Promise<void> {
    if (this.ownsPool && !this.pool.ended) await this.pool.end();
  }
}

async function runOn(target: Pool | PoolClient, sql: string, params: unknown[]) {
  try {
    return await target.query<QueryResultRow>({ text: sql, values: encode(params), types: READ_DB_TYPES });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new UniqueViolationError(error);
    throw error;
  }
}

/** Booleans go to INTEGER columns as 0/1, exactly as on SQLite. */
function encode(params: unknown[]): unknown[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p === undefined ? null : p));
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
