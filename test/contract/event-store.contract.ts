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

async function rejection(promise: Promise<unknown>): Promise<WrongExpectedRevisionError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  return error as WrongExpectedRevisionError;
}

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
      it('returns events in append order with revisions from 0', async () => {
        await append('customer-1', [ev('A'), ev('B')]);
        const result = await append('customer-1', [ev('C')]);
        const events = await store.readStream('customer-1');
        expect(types(events)).toEqual(['A', 'B', 'C']);
        expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(result.nextRevision).toBe(2n);
        expect(result.position).toBe(events[2].position);
      });

      it('reads a stream that was never written as empty', async () => {
        expect(await store.readStream('customer-none')).toEqual([]);
      });

      it('keeps the given id, type, schema version and data, and generates a uuid otherwise', async () => {
        const id = randomUUID();
        await append('customer-1', [{ id, type: 'Named', schemaVersion: 3, data: { name: 'Zoë', n: 1.5 } }, ev('Other')]);
        const [given, generated] = await store.readStream('customer-1');
        expect(given).toMatchObject({ id, type: 'Named', schemaVersion: 3, data: { name: 'Zoë', n: 1.5 } });
        expect(given.streamName).toBe('customer-1');
        expect(given.createdAt).toBeInstanceOf(Date);
        expect(generated.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      });

      it('round-trips metadata: request id, key id and nested values', async () => {
        const metadata = { request_id: 'req_1', key_id: 'key_1', account_id: 'acct_1', livemode: false, trace: { hops: [1, { via: null }] } };
        await append('customer-1', [{ ...ev('A'), metadata }, ev('B')]);
        const [withMetadata, without] = await store.readStream('customer-1');
        expect(withMetadata.metadata).toEqual(metadata);
        expect(without.metadata).toEqual({});
      });
    });

    describe('expected revision', () => {
      it('no_stream creates a new stream and rejects an existing one with its revision', async () => {
        expect((await append('s', [ev('A')], 'no_stream')).nextRevision).toBe(0n);
        const error = await rejection(append('s', [ev('B')], 'no_stream'));
        expect(error).toMatchObject({ streamName: 's', expected: 'no_stream', actual: 0n });
      });

      it('stream_exists rejects a new stream and accepts an existing one', async () => {
        const error = await rejection(append('s', [ev('A')], 'stream_exists'));
        expect(error).toMatchObject({ streamName: 's', expected: 'stream_exists', actual: 'no_stream' });
        await append('s', [ev('A')], 'no_stream');
        expect((await append('s', [ev('B')], 'stream_exists')).nextRevision).toBe(1n);
      });

      it('any accepts a new and an existing stream', async () => {
        expect((await append('s', [ev('A')], 'any')).nextRevision).toBe(0n);
        expect((await append('s', [ev('B')], 'any')).nextRevision).toBe(1n);
      });

      it('an exact revision must be the current one, and a mismatch writes nothing', async () => {
        await append('s', [ev('A'), ev('B')], 'no_stream');
        expect((await append('s', [ev('C')], 1n)).nextRevision).toBe(2n);
        const stale = await rejection(append('s', [ev('D')], 1n));
        expect(stale).toMatchObject({ streamName: 's', expected: 1n, actual: 2n });
        const missing = await rejection(append('other', [ev('D')], 0n));
        expect(missing).toMatchObject({ streamName: 'other', expected: 0n, actual: 'no_stream' });
        expect(types(await store.readStream('s'))).toEqual(['A', 'B', 'C']);
        expect(await store.readStream('other')).toEqual([]);
      });

      it.each<[string, ExpectedRevision]>([
        ['an exact revision', 0n],
        ['no_stream', 'no_stream'],
      ])('20 parallel appends expecting %s: exactly one wins', async (_, expected) => {
        if (expected !== 'no_stream') await append('race', [ev('Created')], 'no_stream');
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) => append('race', [ev(`Attempt${i}`)], expected)),
        );
        const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(results.length - rejected.length).toBe(1);
        for (const r of rejected) expect(r.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream('race')).toHaveLength(expected === 'no_stream' ? 1 : 2);
      });
    });

    describe('atomicity', () => {
      it('a multi-event append that fails part-way leaves nothing behind', async () => {
        const taken = randomUUID();
        await append('a', [{ ...ev('Taken'), id: taken }]);
        const head = await store.headPosition();
        await expect(append('b', [ev('First'), { ...ev('Duplicate'), id: taken }], 'no_stream')).rejects.toThrow();
        expect(await store.readStream('b')).toEqual([]);
        expect(await store.readAll({ after: head, maxCount: 10 })).toEqual([]);
        expect((await append('b', [ev('First')], 'no_stream')).nextRevision).toBe(0n);
      });
    });

    describe('the global log', () => {
      it('gives strictly increasing positions across streams, and the append result names the last one', async () => {
        const first = await append('customer-1', [ev('A'), ev('B')]);
        const second = await append('rental-1', [ev('C')]);
        const all = await store.readAll({ maxCount: 100 });
        expect(types(all)).toEqual(['A', 'B', 'C']);
        all.slice(1).forEach((e, i) => expect(e.position).toBeGreaterThan(all[i].position));
        expect([first.position, second.position]).toEqual([all[1].position, all[2].position]);
        expect(await store.headPosition()).toBe(second.position);
      });

      it('reports head position 0 while the log is empty', async () => {
        expect(await store.headPosition()).toBe(0n);
        expect(await store.readAll({ maxCount: 10 })).toEqual([]);
      });

      it('pages with `after` through every event exactly once', async () => {
        for (let i = 0; i < 10; i++) await append(`customer-${i % 3}`, [ev(`E${i}`)]);
        const seen: RecordedEvent[] = [];
        for (let page = await store.readAll({ maxCount: 3 }); page.length; ) {
          seen.push(...page);
          page = await store.readAll({ after: page[page.length - 1].position, maxCount: 3 });
        }
        expect(types(seen)).toEqual(Array.from({ length: 10 }, (_, i) => `E${i}`));
      });

      it('filters by stream prefix on the server, treating the prefix literally', async () => {
        await append('customer-1', [ev('C1')]);
        await append('rental-1', [ev('R1')]);
        await append('customerX', [ev('CX')]);
        await append('plan-1', [ev('P1')]);
        await append('cu%tomer-2', [ev('Wild')]);
        expect(types(await store.readAll({ maxCount: 10, streamPrefixes: ['customer-'] }))).toEqual(['C1']);
        expect(types(await store.readAll({ maxCount: 10, streamPrefixes: ['customer-', 'rental-'] }))).toEqual(['C1', 'R1']);
        expect(types(await store.readAll({ maxCount: 10, streamPrefixes: ['cu%'] }))).toEqual(['Wild']);
        expect(types(await store.readAll({ maxCount: 10, streamPrefixes: ['c_stomer'] }))).toEqual([]);
      });

      it('does not skip an event whose transaction commits after a later event became visible', async () => {
        const { holdAppend } = harness;
        if (!holdAppend) return; // a store with one ordered writer has no such window
        const checkpoint = await store.headPosition();
        const held = await holdAppend.call(harness, 'slow-1', ev('Slow'));
        // Where writers are concurrent, this append commits while the slow one is still open;
        // on a single-writer store it waits for it. Both are allowed, losing Slow is not.
        const fast = append('fast-1', [ev('Fast')]);
        await Promise.race([fast, sleep(100)]);
        const during = await store.readAll({ after: checkpoint, maxCount: 100 });
        await held.release();
        await fast;
        const resumeAt = during.length ? during[during.length - 1].position : checkpoint;
        const later = await store.readAll({ after: resumeAt, maxCount: 100 });
        expect(types([...during, ...later]).sort()).toEqual(['Fast', 'Slow']);
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

    describe('restart', () => {
      it('resumes from a checkpoint after reopening: nothing lost, nothing twice', async () => {
        for (let i = 0; i < 10; i++) await append(`rental-${i % 4}`, [ev(`E${i}`)]);
        const firstPage = await store.readAll({ maxCount: 4 });
        const checkpoint = firstPage[firstPage.length - 1].position;
        store = await harness.reopen();
        const rest = await store.readAll({ after: checkpoint, maxCount: 100 });
        expect(types([...firstPage, ...rest])).toEqual(Array.from({ length: 10 }, (_, i) => `E${i}`));
        expect(types(await store.readStream('rental-1'))).toEqual(['E1', 'E5', 'E9']);
        expect((await append('rental-1', [ev('After')], 2n)).nextRevision).toBe(3n);
      });
    });

    describe('notifications', () => {
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
