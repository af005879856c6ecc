import { randomUUID } from 'node:crypto';
import {
  EventStore,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../../src/shared/event-store/event-store.port';

export interface ContractHarness {
  /** A store on an empty log; tests own it until cleanup. */
  store: EventStore;
  /** Closes the current store and opens a new one on the same data, like a restart. */
  reopen(): Promise<EventStore>;
  /** Starts an append in a transaction another connection keeps open until release(). */
  holdAppend?(stream: string, event: EventToAppend): Promise<{ release(): Promise<void> }>;
  cleanup(): Promise<void>;
}

const ev = (type: string, data: Record<string, unknown> = {}): EventToAppend => ({ type, schemaVersion: 1, data });
const types = (events: RecordedEvent[]) => events.map((e) => e.type);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const lastPosition = (events: RecordedEvent[], otherwise: bigint) => events.at(-1)?.position ?? otherwise;

/**
 * Waits until everything acknowledged is readable from the global log. A PostgreSQL reader
 * lags behind any transaction open on the server (xmin is cluster-wide, so another test file's
 * transaction counts): fewer events for a moment is allowed, a hole never is.
 */
async function settled(store: EventStore): Promise<void> {
  const head = await store.headPosition();
  while (lastPosition(await store.readAll({ maxCount: 100_000 }), 0n) < head) await sleep(5);
}

/** [expected, events already in the stream, next revision on success | actual revision on failure] */
const EXPECTATIONS: Array<[ExpectedRevision, number, { next: bigint } | { actual: bigint | 'no_stream' }]> = [
  ['no_stream', 0, { next: 0n }], ['no_stream', 2, { actual: 1n }],
  ['stream_exists', 0, { actual: 'no_stream' }], ['stream_exists', 2, { next: 2n }],
  ['any', 0, { next: 0n }], ['any', 2, { next: 2n }],
  [1n, 2, { next: 2n }], [0n, 2, { actual: 1n }], [0n, 0, { actual: 'no_stream' }],
];

export function describeEventStoreContract(name: string, makeHarness: () => Promise<ContractHarness>): void {
  describe(`${name} event store contract`, () => {
    let harness: ContractHarness;
    let store: EventStore;
    const append = (stream: string, events: EventToAppend[], expectedRevision: ExpectedRevision = 'any') =>
      store.appendToStream(stream, events, { expectedRevision });

    beforeEach(async () => {
      harness = await makeHarness();
      store = harness.store;
    });
    afterEach(() => harness.cleanup());

    describe('appending and reading a stream', () => {
      it('returns events in append order with revisions from 0, and a never-written stream as empty', async () => {
        await append('customer-1', [ev('A'), ev('B')]);
        const result = await append('customer-1', [ev('C')]);
        const events = await store.readStream('customer-1');
        expect(types(events)).toEqual(['A', 'B', 'C']);
        expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(result).toEqual({ nextRevision: 2n, position: events[2].position });
        expect(await store.readStream('customer-none')).toEqual([]);
      });

      it('keeps id, type, schema version, data and metadata, and generates a uuid when no id is given', async () => {
        const id = randomUUID();
        const metadata = { request_id: 'req_1', key_id: 'key_1', livemode: false, trace: { hops: [1, { via: null }] } };
        const named = { id, type: 'Named', schemaVersion: 3, data: { name: 'Zoë', n: 1.5 }, metadata };
        await append('customer-1', [named, ev('B')]);
        const [given, generated] = await store.readStream('customer-1');
        expect(given).toMatchObject({ ...named, streamName: 'customer-1', createdAt: expect.any(Date) });
        expect([given.data, given.metadata]).toEqual([named.data, metadata]); // exactly, not a subset
        expect(generated.metadata).toEqual({});
        expect(generated.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      });

      it('a multi-event append that fails part-way leaves nothing behind', async () => {
        await append('a', [ev('Before')]);
        const head = await store.headPosition();
        // The second event cannot be serialised (a BigInt): the write fails after the first
        // event was handled, on every store (EventStoreDB has no cross-stream id check, so a
        // duplicate event id would not do).
        const unserialisable = { ...ev('Broken'), data: { n: 1n } as unknown as Record<string, unknown> };
        // Not `rejects.toThrow()`: a native driver's error may come from another jest realm.
        const outcome = append('b', [ev('First'), unserialisable], 'no_stream');
        expect(await outcome.then(() => 'appended', () => 'rejected')).toBe('rejected');
        expect(await store.readStream('b')).toEqual([]);
        expect(await store.readAll({ after: head, maxCount: 10 })).toEqual([]);
        expect((await append('b', [ev('First')], 'no_stream')).nextRevision).toBe(0n);
      });
    });

    describe('expected revision', () => {
      for (const [expected, existing, outcome] of EXPECTATIONS) {
        const then = 'next' in outcome ? `appends at ${outcome.next}` : `fails, actual ${String(outcome.actual)}`;
        it(`expecting ${String(expected)} of a stream with ${existing} events ${then}`, async () => {
          if (existing) await append('s', Array.from({ length: existing }, (_, i) => ev(`Old${i}`)), 'no_stream');
          const attempt = append('s', [ev('New')], expected);
          if ('next' in outcome) return expect((await attempt).nextRevision).toBe(outcome.next);
          const error = await attempt.then(() => undefined, (e: unknown) => e);
          expect(error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(error).toMatchObject({ streamName: 's', expected, actual: outcome.actual });
          expect(await store.readStream('s')).toHaveLength(existing);
        });
      }

      it.each<[string, ExpectedRevision]>([
        ['an exact revision', 0n],
        ['no_stream', 'no_stream'],
      ])('20 parallel appends expecting %s: exactly one wins', async (_, expected) => {
        if (expected !== 'no_stream') await append('race', [ev('Created')], 'no_stream');
        const attempts = Array.from({ length: 20 }, (_, i) => append('race', [ev(`Attempt${i}`)], expected));
        const results = await Promise.allSettled(attempts);
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(results.length - rejected.length).toBe(1);
        for (const r of rejected) expect(r.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream('race')).toHaveLength(expected === 'no_stream' ? 1 : 2);
      });
    });

    describe('the global log', () => {
      it('starts empty at head 0, then gives strictly increasing positions across streams', async () => {
        expect(await store.headPosition()).toBe(0n);
        expect(await store.readAll({ maxCount: 10 })).toEqual([]);
        const first = await append('customer-1', [ev('A'), ev('B')]);
        const second = await append('rental-1', [ev('C')]);
        await settled(store);
        const all = await store.readAll({ maxCount: 100 });
        expect(types(all)).toEqual(['A', 'B', 'C']);
        all.slice(1).forEach((e, i) => expect(e.position).toBeGreaterThan(all[i].position));
        expect([first.position, second.position]).toEqual([all[1].position, all[2].position]);
        expect(await store.headPosition()).toBe(second.position);
      });

      it('pages with `after` through every event exactly once', async () => {
        for (let i = 0; i < 10; i++) await append(`customer-${i % 3}`, [ev(`E${i}`)]);
        await settled(store);
        const seen: RecordedEvent[] = [];
        for (let page = await store.readAll({ maxCount: 3 }); page.length; ) {
          seen.push(...page);
          page = await store.readAll({ after: lastPosition(page, 0n), maxCount: 3 });
        }
        expect(types(seen)).toEqual(Array.from({ length: 10 }, (_, i) => `E${i}`));
      });

      it('filters by stream prefix on the server, treating the prefix literally', async () => {
        const streams = { 'customer-1': 'C1', 'rental-1': 'R1', customerX: 'CX', 'plan-1': 'P1', 'cu%tomer-2': 'Wild' };
        for (const [stream, type] of Object.entries(streams)) await append(stream, [ev(type)]);
        await settled(store);
        const only = async (...streamPrefixes: string[]) => types(await store.readAll({ maxCount: 10, streamPrefixes }));
        expect(await only('customer-')).toEqual(['C1']);
        expect(await only('customer-', 'rental-')).toEqual(['C1', 'R1']);
        expect(await only('cu%')).toEqual(['Wild']);
        expect(await only('c_stomer')).toEqual([]);
      });

      it('does not skip an event whose transaction commits after a later event became visible', async () => {
        if (!harness.holdAppend) return; // a store with one ordered writer has no such window
        const held = await harness.holdAppend('slow-1', ev('Slow'));
        // Where writers are concurrent, this append commits while the slow one is still open;
        // on a single-writer store it waits for it. Both are allowed; losing Slow is not.
        const fast = append('fast-1', [ev('Fast')]);
        await Promise.race([fast, sleep(100)]);
        const during = await store.readAll({ maxCount: 100 });
        await held.release();
        await fast;
        await settled(store);
        const later = await store.readAll({ after: lastPosition(during, 0n), maxCount: 100 });
        expect(types([...during, ...later]).sort()).toEqual(['Fast', 'Slow']);
      });

      it('a reader tailing the log while 8 writers append sees every acknowledged event once', async () => {
        const acknowledged: string[] = [];
        const seen: string[] = [];
        let writing = true;
        const writer = async (w: number) => {
          for (let i = 0; i < 25; i++) {
            const id = randomUUID();
            await append(`tail-${w}`, [{ ...ev('E'), id }], i === 0 ? 'no_stream' : BigInt(i - 1));
            acknowledged.push(id);
          }
        };
        const writers = Promise.all(Array.from({ length: 8 }, (_, w) => writer(w))).finally(() => (writing = false));
        // Keep tailing until the head as of the last acknowledgement has been read.
        for (let after = 0n, head = -1n; after < head || head < 0n; ) {
          if (!writing && head < 0n) head = await store.headPosition();
          const page = await store.readAll({ after, maxCount: 20 });
          seen.push(...page.map((e) => e.id));
          after = lastPosition(page, after);
          await (page.length ? new Promise(setImmediate) : sleep(2)); // an embedded store writes on this thread
        }
        await writers;
        expect(seen.sort()).toEqual(acknowledged.sort());
      });
    });

    describe('reading a stream as of a time or from a revision', () => {
      it('upTo returns only what was recorded at or before that time', async () => {
        await append('s', [ev('A')]);
        await sleep(20);
        await append('s', [ev('B')]);
        const [a, b] = await store.readStream('s');
        expect(b.createdAt.getTime()).toBeGreaterThan(a.createdAt.getTime());
        expect(types(await store.readStream('s', { upTo: a.createdAt }))).toEqual(['A']);
        expect(types(await store.readStream('s', { upTo: new Date(a.createdAt.getTime() - 1) }))).toEqual([]);
        expect(types(await store.readStream('s', { upTo: b.createdAt }))).toEqual(['A', 'B']);
      });

      it('fromRevision and maxCount select a window of the stream', async () => {
        await append('s', [ev('A'), ev('B'), ev('C'), ev('D')]);
        expect(types(await store.readStream('s', { fromRevision: 2n }))).toEqual(['C', 'D']);
        expect(types(await store.readStream('s', { fromRevision: 1n, maxCount: 2 }))).toEqual(['B', 'C']);
        expect(await store.readStream('s', { fromRevision: 9n })).toEqual([]);
      });
    });

    describe('restart and notification', () => {
      it('resumes from a checkpoint after reopening: nothing lost, nothing twice', async () => {
        for (let i = 0; i < 10; i++) await append(`rental-${i % 4}`, [ev(`E${i}`)]);
        await settled(store);
        const firstPage = await store.readAll({ maxCount: 4 });
        store = await harness.reopen();
        const rest = await store.readAll({ after: lastPosition(firstPage, 0n), maxCount: 100 });
        expect(types([...firstPage, ...rest])).toEqual(Array.from({ length: 10 }, (_, i) => `E${i}`));
        expect(types(await store.readStream('rental-1'))).toEqual(['E1', 'E5', 'E9']);
        expect((await append('rental-1', [ev('After')], 2n)).nextRevision).toBe(3n);
      });

      it('onAppended fires after the append with its last position, until unsubscribed', async () => {
        const positions: bigint[] = [];
        const unsubscribe = store.onAppended((position) => positions.push(position));
        const result = await append('s', [ev('A'), ev('B')]);
        expect(positions).toEqual([result.position]);
        unsubscribe();
        await append('s', [ev('C')]);
        expect(positions).toEqual([result.position]);
      });
    });
  });
}
