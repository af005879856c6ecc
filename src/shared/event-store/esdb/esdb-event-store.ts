import {
  ANY, BACKWARDS, END, EventStoreDBClient, FORWARDS, NO_STREAM, START, STREAM_EXISTS,
  StreamNotFoundError, WrongExpectedVersionError, jsonEvent,
  type AllStreamResolvedEvent, type AppendExpectedRevision, type CurrentRevision,
  type ReadPosition, type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import {
  AppendResult, EventStore, EventToAppend, ExpectedRevision, ReadAllOptions, ReadStreamOptions,
  RecordedEvent, WrongExpectedRevisionError,
} from '../event-store.port';
import { isDomainEvent, readFilteredAll } from './esdb-filtered-read';
import { isKnownPosition, packPosition } from './esdb-position';

/** Kept in each event's metadata and stripped on read, so callers get back what they wrote. */
const SCHEMA_VERSION_KEY = '$schemaVersion';
const CONNECT_TIMEOUT_MS = 5_000;
const HEAD_PAGE_SIZE = 100;

/**
 * Event store on EventStoreDB (the production store, SPEC §1).
 *
 * ESDB appends atomically to ONE stream only, with an expected revision checked by the
 * server. It has no multi-stream transaction, so cross-stream uniqueness (an email per
 * account, a vehicle per time slot) cannot be a constraint here: the command handlers append
 * to a reservation stream (e.g. `customer-email-<hash>`) with `no_stream` first, and only the
 * winner appends the domain event. The adapter stays a plain mapping of the port.
 *
 * Projections do not use ESDB subscriptions directly: the runner polls
 * `readAll({ after, maxCount })` and is woken by `onAppended` for this process's writes;
 * other processes' writes are picked up on the next poll, the same as with the SQL stores.
 */
export class EsdbEventStore implements EventStore {
  readonly kind = 'esdb' as const;
  private readonly listeners = new Set<(position: bigint) => void>();
  private closed: Promise<void> | undefined;

  constructor(private readonly client: EventStoreDBClient) {}

  /** Connects and proves the server answers, so a wrong URL fails at start, not on the first request. */
  static async connect(url: string): Promise<EsdbEventStore> {
    const client = EventStoreDBClient.connectionString(url);
    // readAll ignores per-call deadlines in this client version (it streams with an
    // infinite one), so the probe is bounded by a timer of our own.
    const probe = client.readAll({ maxCount: 1 });
    const timer = setTimeout(() => {
      void probe.cancel();
      probe.destroy(new Error(`no answer within ${CONNECT_TIMEOUT_MS} ms`));
    }, CONNECT_TIMEOUT_MS);
    try {
      await toArray(probe);
    } catch (error) {
      await client.dispose();
      throw new Error(
        `Cannot reach EventStoreDB at ${url} (EVENTSTORE_CONNECTION_STRING): ${(error as Error).message}. ` +
          'Start it (docker compose up eventstore) or set EVENTSTORE_CONNECTION_STRING to a reachable esdb:// URL.',
      );
    } finally {
      clearTimeout(timer);
    }
    return new EsdbEventStore(client);
  }

  async appendToStream(
    streamName: string,
    events: EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const expected = options.expectedRevision;
    const data = events.map((event) =>
      jsonEvent({
        id: event.id,
        type: event.type,
        data: event.data,
        metadata: { ...event.metadata, [SCHEMA_VERSION_KEY]: event.schemaVersion },
      }),
    );
    let result;
    try {
      result = await this.client.appendToStream(streamName, data, { expectedRevision: toEsdbExpected(expected) });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamName, expected, fromEsdbCurrent(error.actualVersion));
      }
      throw error;
    }
    // The server always returns the position of a successful append; the fallback only
    // guards the optional field in the client's types.
    const position = result.position ? packPosition(result.position) : await this.headPosition();
    for (const listener of this.listeners) listener(position);
    return { nextRevision: result.nextExpectedRevision, position };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const read = this.client.readStream(streamName, {
      fromRevision: options.fromRevision ?? START,
      maxCount: options.maxCount,
      direction: FORWARDS,
    });
    let resolved;
    try {
      resolved = await toArray(read);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    const events = resolved.flatMap((r) => (r.event ? [toRecordedEvent(r.event)] : []));
    if (!options.upTo) return events;
    // Revisions are in commit order, so the first event newer than `upTo` ends the answer.
    const upTo = options.upTo.getTime();
    const newer = events.findIndex((e) => e.createdAt.getTime() > upTo);
    return newer === -1 ? events : events.slice(0, newer);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const events = await readFilteredAll(this.client, options);
    return events.map(toRecordedEvent);
  }

  async headPosition(): Promise<bigint> {
    // System events ($stats, $settings, epochs…) keep arriving at the tail of $all; the head
    // must be the newest domain event or a caught-up projection would look forever behind.
    let from: ReadPosition = END;
    for (;;) {
      const page: AllStreamResolvedEvent[] = await toArray(
        this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: HEAD_PAGE_SIZE }),
      );
      for (const { event } of page) {
        if (event && isDomainEvent(event)) return packPosition(event.position);
      }
      const oldest = page[page.length - 1]?.event;
      if (page.length < HEAD_PAGE_SIZE || !oldest) return 0n;
      from = oldest.position;
    }
  }

  onAppended(listener: (position: bigint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Idempotent: shutdown hooks and tests may both close the store. */
  close(): Promise<void> {
    this.closed ??= this.client.dispose();
    return this.closed;
  }
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (typeof expected === 'bigint') return expected;
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default: {
      const unreachable: never = expected;
      throw new Error(`Unknown expected revision ${String(unreachable)}`);
    }
  }
}

/** Older servers report a missing stream as revision -1 instead of leaving it unset. */
function fromEsdbCurrent(current: CurrentRevision): bigint | 'no_stream' {
  return current === NO_STREAM || current < 0n ? 'no_stream' : current;
}

function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  const { [SCHEMA_VERSION_KEY]: schemaVersion, ...metadata } = asObject(event.metadata);
  return {
    id: event.id,
    streamName: event.streamId,
    type: event.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: asObject(event.data),
    metadata,
    revision: event.revision,
    // Modern appends commit each event on its own, so stream reads carry the same position as
    // $all; 0n only stands in where an old server could not say.
    position: isKnownPosition(event.position) ? packPosition(event.position) : 0n,
    createdAt: event.created,
  };
}

function asObject(value: unknown): Record<string, unknown> {
  const isPlain = value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
  return isPlain ? (value as Record<string, unknown>) : {};
}

async function toArray<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
