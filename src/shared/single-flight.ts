/**
 * A background loop that runs one pass at a time. A wake-up during a pass is remembered and
 * causes exactly one more pass after it, so no wake-up is lost and passes never overlap:
 * the pattern of the projection runner, the webhook fan-out and the dispatcher.
 */
export class SingleFlight {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  /** `pass` must handle its own errors; `afterIdle` runs when a pass ends with none pending. */
  constructor(
    private readonly pass: () => Promise<void>,
    private readonly afterIdle?: () => void,
  ) {}

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => this.settle());
  }

  /**
   * Runs `fn` while no pass is in flight and none starts; wake-ups meanwhile are deferred to
   * after it, not dropped.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.running) await this.running;
    // Taken before fn starts: a wake-up from fn's first synchronous steps must wait too.
    let finished!: () => void;
    this.running = new Promise<void>((resolve) => (finished = resolve)).then(() => this.settle());
    try {
      return await fn();
    } finally {
      finished();
    }
  }

  /** No new passes; resolves when the current one has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** The pass under way, if any (for shutdown paths that wait on it). */
  get current(): Promise<void> | null {
    return this.running;
  }

  private settle(): void {
    this.running = null;
    if (this.again) {
      this.again = false;
      this.wake();
    } else if (!this.stopped) {
      this.afterIdle?.();
    }
  }
}
