import { StreamBatches } from './stream-batches';

describe('stream batches', () => {
  it('starts a lone request at once, and decides the ones that queued meanwhile together, in order', async () => {
    const seen: string[][] = [];
    let release!: () => void;
    const firstBatchHeld = new Promise<void>((resolve) => (release = resolve));
    const batches = new StreamBatches<string>(async (_stream, batch) => {
      seen.push(batch);
      if (seen.length === 1) await firstBatchHeld;
    });
    batches.add('s-1', 'a');
    expect(seen).toEqual([['a']]);
    batches.add('s-1', 'b');
    batches.add('s-1', 'c');
    batches.add('s-2', 'x');
    expect(seen).toEqual([['a'], ['x']]);
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual([['a'], ['x'], ['b', 'c']]);
  });

  it('caps a batch, and starts afresh once a stream has gone quiet', async () => {
    const seen: number[][] = [];
    let hold: Promise<void> | null = new Promise((resolve) => setTimeout(resolve, 5));
    const batches = new StreamBatches<number>(async (_s, batch) => {
      seen.push(batch);
      if (hold) await hold;
      hold = null;
    }, 2);
    for (let i = 0; i < 5; i++) batches.add('s', i);
    await new Promise((resolve) => setTimeout(resolve, 20));
    batches.add('s', 5);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual([[0], [1, 2], [3, 4], [5]]);
  });
});
