import Database from 'better-sqlite3';
import { ReadDb, SqlExecutor, TransactionOptions, UniqueViolationError } from './read-db.port';

interface QueuedRun {
  sql: string;
  params: unknown[];
  resolve: (r: { changes: number }) => void;
  reject: (e: unknown) => void;
}

/**
 * SQLite read-model database. Two connections: the writer, and a reader that only ever sees
 * committed data (WAL), so a GET never observes a projection transaction half-way.
 * Single writes that arrive in the same event-loop turn share one transaction and one fsync
 * (group commit, each in its own savepoint); `transaction()` calls are serialised by a
 * promise chain because one connection can hold only one transaction.
 */
export class SqliteReadDb implements ReadDb {
  readonly dialect = 'sqlite' as const;
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  private readonly cache = new Map<string, Prepared>();
  private readonly readCache = new Map<string, Prepared>();
  private queue: QueuedRun[] = [];
  private flushScheduled = false;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.writer = new Database(file);
    this.writer.pragma('journal_mode = WAL');
    this.writer.pragma('synchronous = FULL');
    this.writer.pragma('busy_timeout = 5000');
    // SPEC §8 "the database files themselves": deleted and overwritten rows (erased personal
    // data, expired idempotency records) are zeroed in the file, not left in free space.
    this.writer.pragma('secure_delete = ON');
    this.reader = new Database(file, { readonly: false });
    this.reader.pragma('busy_timeout = 5000');
    this.reader.pragma('query_only = ON');
  }

  private stmt(db: Database.Database, cache: Map<string, Prepared>, sql: string) {
    let prepared = cache.get(sql);
    if (!prepared) {
      // better-sqlite3 binds `?` by order only: each portable `$n` becomes a `?` and the
      // statement remembers which parameter feeds it (so `$1` may appear twice).
      const order: number[] = [];
      const statement = db.prepare(sql.replace(/\$(\d+)/g, (_, n) => (order.push(Number(n) - 1), '?')));
      prepared = new Prepared(statement, order);
      cache.set(sql, prepared);
    }
    return prepared;
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.stmt(this.reader, this.readCache, sql).all(params) as T[];
  }

  async get<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return this.stmt(this.reader, this.readCache, sql).get(params) as T | undefined;
  }

  run(sql: string, params: unknown[] = []): Promise<{ changes: number }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ sql, params, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.withLock(async () => this.flush()));
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    const results: Array<{ changes: number } | { error: unknown }> = [];
    try {
      this.writer.exec('BEGIN IMMEDIATE');
      for (const item of batch) {
        this.writer.exec('SAVEPOINT w');
        try {
          results.push({ changes: this.stmt(this.writer, this.cache, item.sql).run(item.params).changes });
          this.writer.exec('RELEASE w');
        } catch (error) {
          this.writer.exec('ROLLBACK TO w');
          this.writer.exec('RELEASE w');
          results.push({ error: mapError(error) });
        }
      }
      this.writer.exec('COMMIT');
    } catch (error) {
      if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
      batch.forEach((item) => item.reject(error));
      return;
    }
    batch.forEach((item, i) => {
      const r = results[i];
      if ('error' in r) item.reject(r.error);
      else item.resolve(r);
    });
  }

  async exec(sql: string): Promise<void> {
    await this.withLock(async () => this.writer.exec(sql));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const relaxed = options.durability === 'relaxed';
    return this.withLock(async () => {
      const tx: SqlExecutor = {
        all: async (sql, params = []) => this.stmt(this.writer, this.cache, sql).all(params) as never,
        get: async (sql, params = []) => this.stmt(this.writer, this.cache, sql).get(params) as never,
        run: async (sql, params = []) => {
          try {
            return { changes: this.stmt(this.writer, this.cache, sql).run(params).changes };
          } catch (error) {
            throw mapError(error);
          }
        },
      };
      // synchronous is a per-connection setting; the lock makes this transaction the only
      // user of the writer until it is set back. A later FULL commit fsyncs the WAL, and
      // with it these frames too.
      if (relaxed) this.writer.pragma('synchronous = NORMAL');
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        this.writer.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        throw error;
      } finally {
        if (relaxed) this.writer.pragma('synchronous = FULL');
      }
    });
  }

  /**
   * The WAL keeps old page images after their rows were rewritten, until it is overwritten;
   * a TRUNCATE checkpoint copies the current pages into the main file and empties the WAL.
   * Best effort: a reader holding an old snapshot (another process) can keep it from
   * finishing, and the pages stay until a later checkpoint.
   */
  async purgeDeleted(): Promise<void> {
    await this.withLock(async () => {
      this.writer.pragma('wal_checkpoint(TRUNCATE)');
    });
  }

  private withLock<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn, fn);
    this.lock = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.withLock(async () => {
      if (this.queue.length) this.flush();
    });
    this.reader.close();
    this.writer.close();
  }
}

class Prepared {
  constructor(
    private readonly statement: Database.Statement,
    private readonly order: number[],
  ) {}

  all(params: unknown[]) {
    return this.statement.all(...this.bind(params));
  }
  get(params: unknown[]) {
    return this.statement.get(...this.bind(params));
  }
  run(params: unknown[]) {
    return this.statement.run(...this.bind(params));
  }

  private bind(params: unknown[]): unknown[] {
    return this.order.map((i) => {
      const p = params[i];
      return typeof p === 'boolean' ? (p ? 1 : 0) : p === undefined ? null : p;
    });
  }
}

function mapError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new UniqueViolationError(error);
  }
  return error;
}
