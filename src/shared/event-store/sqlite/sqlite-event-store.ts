import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  WrongExpectedRevisionError,
  revisionMatches,
} from '../event-store.port';
import { SQLITE_EVENT_SCHEMA } from './sqlite-event-store.schema';

/** An event already serialised: JSON.stringify can throw, and must do so before the batch. */
interface EncodedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
}

interface PendingAppend {
  streamName: string;
  events: EncodedEvent[];
  /** Caller-chosen ids may collide with stored ones, so only those appends need a savepoint. */
  mayCollide: boolean;
  expectedRevision: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Row = {
  position: bigint;
  id: string;
  stream: string;
  revision: bigint;
  type: string;
  schema_version: bigint;
  data: string;
  metadata: string;
  created_at: bigint;
};

/**
 * Embedded event store on one SQLite file (WAL, synchronous=FULL: an acknowledged append has
 * been fsync'd). Appends that arrive in the same event-loop turn are committed together in
 * one transaction (group commit), each inside its own savepoint so that it keeps its own
 * expected-revision check and its own success or failure. SQLite has one writer at a time,
 * so global positions become visible in order and readers can never skip one.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly listeners = new Set<(position: bigint) => void>();
  private readonly stmts: ReturnType<SqliteEventStore['prepare']>;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SQLITE_EVENT_SCHEMA);
    this.stmts = this.prepare();
  }

  private prepare() {
    const select = `SELECT position, id, stream, revision, type, schema_version, data, metadata, created_at FROM events`;
    return {
      revision: this.db.prepare('SELECT revision FROM streams WHERE stream = ?').safeIntegers(true),
      insert: this.db.prepare(
        `INSERT INTO events (id, stream, revision, type, schema_version, data, metadata, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).safeIntegers(true),
      upsertStream: this.db.prepare(
        `INSERT INTO streams (stream, revision) VALUES (?, ?)
         ON CONFLICT(stream) DO UPDATE SET revision = excluded.revision`,
      ),
      readStream: this.db
        .prepare(`${select} WHERE stream = ? AND revision >= ? AND created_at <= ? ORDER BY revision LIMIT ?`)
        .safeIntegers(true),
      // The hot path (a command loading its stream) needs no bounds.
      readWholeStream: this.db.prepare(`${select} WHERE stream = ? ORDER BY revision`).safeIntegers(true),
      readAll: this.db.prepare(`${select} WHERE position > ? ORDER BY position LIMIT ?`).safeIntegers(true),
      head: this.db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').safeIntegers(true),
    };
  }

  appendToStream(
    streamName: string,
    events: EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('appendToStream needs at least one event'));
    let encoded: EncodedEvent[];
    try {
      encoded = events.map((event) => ({
        id: event.id ?? randomUUID(),
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(event.metadata ?? {}),
      }));
    } catch (error) {
      return Promise.reject(error);
    }
    const mayCollide = events.some((event) => event.id !== undefined);
    return new Promise((resolve, reject) => {
      this.queue.push({ streamName, events: encoded, mayCollide, expectedRevision: options.expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // setImmediate runs after the I/O callbacks of this turn: every request that arrived
        // together has queued its append by then and shares the one fsync.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const append of batch) outcomes.push(append.mayCollide ? this.applyInSavepoint(append) : this.apply(append));
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const append of batch) append.reject(error);
      return;
    }
    let last = -1n;
    batch.forEach((append, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) {
        if (outcome.result.position > last) last = outcome.result.position;
        append.resolve(outcome.result);
      } else append.reject(outcome.error);
    });
    if (last >= 0n) for (const listener of this.listeners) listener(last);
  }

  private applyInSavepoint(append: PendingAppend) {
    this.db.exec('SAVEPOINT append');
    try {
      const outcome = this.apply(append);
      this.db.exec('RELEASE append');
      return outcome;
    } catch (error) {
      this.db.exec('ROLLBACK TO append');
      this.db.exec('RELEASE append');
      return { ok: false as const, error };
    }
  }

  /**
   * The expected-revision check comes before any write, so a refused append writes nothing.
   * Without caller-chosen ids an insert cannot fail but for a broken disk, which throws out
   * of the batch and rolls all of it back: no append is acknowledged.
   */
  private apply(append: PendingAppend) {
    const row = this.stmts.revision.get(append.streamName) as { revision: bigint } | undefined;
    const current = row ? row.revision : -1n;
    if (!revisionMatches(append.expectedRevision, current)) {
      const error = new WrongExpectedRevisionError(append.streamName, append.expectedRevision, row ? current : 'no_stream');
      return { ok: false as const, error };
    }
    const now = BigInt(Date.now());
    let revision = current;
    let position = 0n;
    for (const event of append.events) {
      revision += 1n;
      const info = this.stmts.insert.run(
        event.id,
        append.streamName,
        revision,
        event.type,
        event.schemaVersion,
        event.data,
        event.metadata,
        now,
      );
      position = BigInt(info.lastInsertRowid);
    }
    this.stmts.upsertStream.run(append.streamName, revision);
    return { ok: true as const, result: { nextRevision: revision, position } };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.fromRevision === undefined && options.upTo === undefined && options.maxCount === undefined) {
      return (this.stmts.readWholeStream.all(streamName) as Row[]).map(toRecorded);
    }
    const rows = this.stmts.readStream.all(
      streamName,
      options.fromRevision ?? 0n,
      BigInt(options.upTo ? options.upTo.getTime() : Number.MAX_SAFE_INTEGER),
      options.maxCount ?? -1,
    ) as Row[];
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after = options.after ?? 0n;
    if (!options.streamPrefixes?.length) {
      return (this.stmts.readAll.all(after, options.maxCount) as Row[]).map(toRecorded);
    }
    const prefixes = options.streamPrefixes;
    const where = prefixes.map(() => 'substr(stream, 1, ?) = ?').join(' OR ');
    const rows = this.db
      .prepare(
        `SELECT position, id, stream, revision, type, schema_version, data, metadata, created_at
         FROM events WHERE position > ? AND (${where}) ORDER BY position LIMIT ?`,
      )
      .safeIntegers(true)
      .all(after, ...prefixes.flatMap((p) => [p.length, p]), options.maxCount) as Row[];
    return rows.map(toRecorded);
  }

  async headPosition(): Promise<bigint> {
    return (this.stmts.head.get() as { p: bigint }).p;
  }

  onAppended(listener: (position: bigint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.queue.length) this.flush();
    if (this.db.open) this.db.close();
  }
}

function toRecorded(row: Row): RecordedEvent {
  return {
    id: row.id,
    streamName: row.stream,
    type: row.type,
    schemaVersion: Number(row.schema_version),
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    revision: row.revision,
    position: row.position,
    createdAt: new Date(Number(row.created_at)),
  };
}
