/**
 * Requests for one stream are decided in batches, one batch at a time per stream, in this
 * process. Optimistic concurrency stays the guard (other processes append too), but twenty
 * requests for one customer no longer all read the same revision and retry nineteen times:
 * those that arrive while a batch is being decided and appended wait, then are decided
 * together, each on the state the one before it left, and appended in one append (one
 * commit, one fsync). A quiet stream's lone request starts at once, so batching costs no
 * latency when there is no queue.
 */
export class StreamBatches<R> {
  private readonly waiting = new Map<string, R[]>();

  constructor(
    /** Decides and settles every request of the batch; must not throw. */
    private readonly process: (stream: string, batch: R[]) => Promise<void>,
    private readonly maxBatch = 256,
  ) {}

  add(stream: string, request: R): void {
    const queue = this.waiting.get(stream);
    if (queue) {
      queue.push(request);
      return;
    }
    this.waiting.set(stream, [request]);
    void this.drain(stream);
  }

  private async drain(stream: string): Promise<void> {
    for (;;) {
      const queue = this.waiting.get(stream)!;
      // Checked and removed in one synchronous step: a request added later starts a new drain.
      if (queue.length === 0) {
        this.waiting.delete(stream);
        return;
      }
      await this.process(stream, queue.splice(0, this.maxBatch));
    }
  }
}
