import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type ReadPosition,
} from '@eventstore/db-client';
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
import { fromEsdbCurrent, toEsdbEvent, toEsdbExpected, toRecordedEvent } from './esdb-event-mapping';
import { isDomainEvent, readFilteredAll } from './esdb-filtered-read';
import { packPosition } from './esdb-position';

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
    const shown = url.replace(/\/\/[^@/]*@/, '//***@'); // never log a password
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(url);
    } catch (error) {
      throw new Error(`EVENTSTORE_CONNECTION_STRING ${shown} is not usable: ${(error as Error).message}`);
    }
    try {
      await probe(client);
    } catch (error) {
      await client.dispose();
      throw new Error(
        `Cannot reach EventStoreDB at ${shown} (EVENTSTORE_CONNECTION_STRING): ${(error as Error).message}. ` +
          'Start it (docker compose up eventstore) or point EVENTSTORE_CONNECTION_STRING at a reachable server.',
      );
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
    let result;
    try {
      result = await this.client.appendToStream(streamName, events.map(toEsdbEvent), {
        expectedRevision: toEsdbExpected(expected),
      });
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

/** readAll ignores per-call deadlines in this client version (it streams with an infinite one). */
async function probe(client: EventStoreDBClient): Promise<void> {
  const read = client.readAll({ maxCount: 1 });
  const timer = setTimeout(() => {
    void read.cancel();
    read.destroy(new Error(`no answer within ${CONNECT_TIMEOUT_MS} ms`));
  }, CONNECT_TIMEOUT_MS);
  try {
    await toArray(read);
  } finally {
    clearTimeout(timer);
  }
}

async function toArray<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
