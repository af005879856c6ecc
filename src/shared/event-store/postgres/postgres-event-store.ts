import { Pool, QueryResultRow } from 'pg';
import {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store.port';
import {
  EVENT_STORE_TYPES,
  POSTGRES_EVENT_SCHEMA,
  WRONG_EXPECTED_REVISION_SQLSTATE,
  appendQuery,
} from './postgres-event-store.schema';

const COLUMNS = 'position, id, stream, revision, type, schema_version, data, metadata, created_at';

type Row = {
  position: bigint;
  id: string;
  stream: string;
  revision: bigint;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  created_at: Date;
};

/**
 * PostgreSQL event store. An append is one round trip: a plpgsql function checks the expected
 * revision and inserts the events in the statement's own transaction.
 *
 * Why readAll filters on `transaction_id < pg_snapshot_xmin(pg_current_snapshot())`: sequence
 * values are handed out before commit, so position 7 can become visible while position 6 is
 * still in flight. A reader that returned 7 and checkpointed it would never see 6: published
 * PostgreSQL event stores have lost events exactly this way. Rows of transactions older than
 * the snapshot's xmin are final (committed or gone). That alone is not enough when a younger
 * transaction holds a lower position, so the append function takes its xid and its positions
 * under one short advisory lock: lower xid ⇔ lower positions, and the rows below xmin are a
 * gap-free prefix of the log. The cost is latency, not loss: any long transaction with an
 * xid (in any database of the cluster) holds readers back until it ends.
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly createSchema: boolean;
  private readonly listeners = new Set<(position: bigint) => void>();

  constructor(connection: string | Pool, options: { createSchema?: boolean; poolSize?: number } = {}) {
    this.ownsPool = typeof connection === 'string';
    this.createSchema = options.createSchema ?? true;
    // The timeout also bounds the wait for a free pooled client: fail rather than queue forever.
    this.pool = this.ownsPool
      ? new Pool({ connectionString: connection as string, max: options.poolSize ?? 10, connectionTimeoutMillis: 10_000 })
      : (connection as Pool);
    // Unhandled, an idle client's network error would crash the process; the pool already
    // drops that client and the next query reconnects.
    if (this.ownsPool) this.pool.on('error', () => undefined);
  }

  /** Creates the store and its schema; fails with a message naming DATABASE_URL. */
  static async connect(url: string, options: { poolSize?: number } = {}): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(url, options);
    try {
      return await store.init();
    } catch (error) {
      await store.close().catch(() => undefined);
      throw new Error(
        `PostgreSQL event store unavailable at ${redact(url)} (check DATABASE_URL): ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async init(): Promise<this> {
    if (this.createSchema) await this.pool.query(POSTGRES_EVENT_SCHEMA);
    return this;
  }

  async appendToStream(
    streamName: string,
    events: EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const expected = options.expectedRevision;
    let row: { next_revision: bigint; last_position: bigint };
    try {
      row = (await this.pool.query(appendQuery(streamName, events, expected))).rows[0];
    } catch (error) {
      throw await this.translate(error, streamName, expected);
    }
    for (const listener of this.listeners) {
      try {
        listener(row.last_position);
      } catch {
        // Listeners are wake-up hints (consumers also poll): a consumer's bug must not turn a
        // committed append into a reported failure that the caller would retry.
      }
    }
    return { nextRevision: row.next_revision, position: row.last_position };
  }

  private async translate(error: unknown, streamName: string, expected: ExpectedRevision): Promise<unknown> {
    const { code, detail, constraint } = error as { code?: string; detail?: string; constraint?: string };
    if (code === WRONG_EXPECTED_REVISION_SQLSTATE) {
      const actual = detail === 'no_stream' ? 'no_stream' : BigInt(detail!);
      return new WrongExpectedRevisionError(streamName, expected, actual);
    }
    // Defence in depth: the function claims the stream row first, but should two writers ever
    // reach the constraints, the loser is a concurrency conflict, not a server error.
    if (code === '23505' && (constraint === 'streams_pkey' || constraint === 'events_stream_revision_key')) {
      const [row] = await this.query<{ revision: bigint }>('SELECT revision FROM streams WHERE stream = $1', [
        streamName,
      ]);
      return new WrongExpectedRevisionError(streamName, expected, row ? row.revision : 'no_stream');
    }
    return error;
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = await this.query<Row>(
      `SELECT ${COLUMNS} FROM events
        WHERE stream = $1 AND revision >= $2 AND ($3::timestamptz IS NULL OR created_at <= $3)
        ORDER BY revision LIMIT $4`,
      [
        streamName,
        (options.fromRevision ?? 0n).toString(),
        options.upTo?.toISOString() ?? null,
        options.maxCount ?? null,
      ],
    );
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const prefixes = options.streamPrefixes?.length ? options.streamPrefixes : null;
    const rows = await this.query<Row>(
      `SELECT ${COLUMNS} FROM events
        WHERE position > $1
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          AND ($3::text[] IS NULL OR stream ^@ ANY ($3::text[]))
        ORDER BY position LIMIT $2`,
      [(options.after ?? 0n).toString(), options.maxCount, prefixes],
    );
    return rows.map(toRecorded);
  }

  /** The newest committed position; readAll may still hold it back behind an open transaction. */
  async headPosition(): Promise<bigint> {
    const [row] = await this.query<{ p: bigint }>('SELECT COALESCE(MAX(position), 0) AS p FROM events');
    return row.p;
  }

  onAppended(listener: (position: bigint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.ownsPool && !this.pool.ended) await this.pool.end();
  }

  private async query<T extends QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>({ text, values, types: EVENT_STORE_TYPES })).rows;
  }
}

function toRecorded(row: Row): RecordedEvent {
  return {
    id: row.id,
    streamName: row.stream,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    revision: row.revision,
    position: row.position,
    createdAt: row.created_at,
  };
}

/** Connection strings carry passwords; error messages and logs must not. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
