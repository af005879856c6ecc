import { randomBytes } from 'node:crypto';
import { EsdbEventStore } from '../../src/shared/event-store/esdb/esdb-event-store';
import {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../../src/shared/event-store/event-store.port';
import { ContractHarness, describeEventStoreContract } from './event-store.contract';

const url = process.env.EVENTSTORE_CONNECTION_STRING;
const SKIPPED =
  'SKIPPED: EventStoreDB contract suite (set EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false to run it)';

/**
 * ESDB streams cannot be dropped, and every run shares one server. Each harness therefore
 * sees the store through a run-unique stream prefix: names are prefixed on the way in and
 * stripped on the way out, and $all reads are narrowed (server-side) to this run's streams,
 * so the contract's fixed names and "read everything" assertions hold on a used server.
 */
class RunScopedStore implements EventStore {
  readonly kind = 'esdb' as const;

  constructor(
    private readonly inner: EventStore,
    private readonly run: string,
  ) {}

  async appendToStream(
    streamName: string,
    events: EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    try {
      return await this.inner.appendToStream(this.run + streamName, events, options);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      throw new WrongExpectedRevisionError(streamName, error.expected, error.actual);
    }
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(this.run + streamName, options)).map((e) => this.unscoped(e));
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const streamPrefixes = options.streamPrefixes?.length
      ? options.streamPrefixes.map((prefix) => this.run + prefix)
      : [this.run];
    return (await this.inner.readAll({ ...options, streamPrefixes })).map((e) => this.unscoped(e));
  }

  /** The newest event of this run: the server-wide head includes every earlier run. */
  async headPosition(): Promise<bigint> {
    let head = 0n;
    for (;;) {
      const page = await this.inner.readAll({ after: head, maxCount: 500, streamPrefixes: [this.run] });
      if (page.length === 0) return head;
      head = page[page.length - 1].position;
    }
  }

  onAppended(listener: (position: bigint) => void): () => void {
    return this.inner.onAppended(listener);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private unscoped(event: RecordedEvent): RecordedEvent {
    return { ...event, streamName: event.streamName.slice(this.run.length) };
  }
}

async function makeHarness(connectionString: string): Promise<ContractHarness> {
  // Starts with a letter so no prefix can ever look like a `$` system stream.
  const run = `r${randomBytes(6).toString('hex')}_`;
  const open = async () => new RunScopedStore(await EsdbEventStore.connect(connectionString), run);
  let current = await open();
  return {
    store: current,
    // A fresh client on the same server: what the closed connection appended, the new one reads.
    async reopen() {
      await current.close();
      current = await open();
      return current;
    },
    // No holdAppend: ESDB has no client-held transactions to pause an append inside.
    cleanup: () => current.close(),
  };
}

if (url) {
  describeEventStoreContract('EsdbEventStore', () => makeHarness(url));
} else {
  describe('EsdbEventStore contract', () => {
    it(SKIPPED, () => {
      console.warn(`\n${'='.repeat(100)}\n${SKIPPED}\n${'='.repeat(100)}\n`);
    });
  });
}
