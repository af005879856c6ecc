import { EventStore, ReadStreamOptions, RecordedEvent } from '../shared/event-store/event-store.port';
import { FoldedStreams } from './folded-streams';

/** Just enough of a store: one stream of numbered events, and a log of the reads made. */
function storeWith(count: () => number) {
  const reads: Array<bigint | undefined> = [];
  const store = {
    async readStream(_stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
      reads.push(options?.fromRevision);
      const from = Number(options?.fromRevision ?? 0n);
      return Array.from({ length: Math.max(0, count() - from) }, (_, i) => ({ revision: BigInt(from + i), data: { n: from + i } }) as unknown as RecordedEvent);
    },
  } as unknown as EventStore;
  return { store, reads };
}

describe('folded streams', () => {
  it('reads a stream once in full, then only what was appended after the state it keeps', async () => {
    let length = 3;
    const { store, reads } = storeWith(() => length);
    const sums = new FoldedStreams<number>(store, () => 0, (sum, e) => sum + (e.data.n as number));
    expect(await sums.load('s')).toEqual({ state: 0 + 1 + 2, revision: 2n });
    length = 5;
    expect(await sums.load('s')).toEqual({ state: 0 + 1 + 2 + 3 + 4, revision: 4n });
    expect(reads).toEqual([undefined, 3n]);
  });

  it('keeps a state this process appended, but never goes back to an older one', async () => {
    const { store, reads } = storeWith(() => 0);
    const states = new FoldedStreams<string>(store, () => 'empty', (s) => s);
    states.remember('s', { state: 'at 7', revision: 7n });
    states.remember('s', { state: 'at 3', revision: 3n });
    expect(await states.load('s')).toEqual({ state: 'at 7', revision: 7n });
    expect(reads).toEqual([8n]);
  });

  it('forgets the least recently written stream beyond its limit', async () => {
    const { store, reads } = storeWith(() => 1);
    const states = new FoldedStreams<number>(store, () => 0, (s) => s + 1, 2);
    for (const name of ['a', 'b', 'c']) await states.load(name);
    await states.load('a');
    expect(reads).toEqual([undefined, undefined, undefined, undefined]);
  });
});
