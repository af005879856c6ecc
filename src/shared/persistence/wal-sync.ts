import { closeSync, existsSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';

export type SyncFn = (fd: number, done: (error: Error | null) => void) => void;

/**
 * Makes commits of a SQLite connection in WAL mode with `synchronous = NORMAL` durable
 * without blocking the event loop: after COMMIT has written its frames to the `-wal` file,
 * `sync()` fdatasyncs that file on libuv's thread pool. A WAL frame is only recovered
 * if its whole checksum chain is on disk, and the chain up to this commit is now there; with
 * NORMAL SQLite itself syncs the WAL before every checkpoint and its header when it reuses it,
 * so a synced frame is never lost to a later checkpoint either (sqlite.org/pragma.html).
 *
 * Group fsync: callers that arrive while one fdatasync is in flight share the next one, so
 * 32 concurrent commits cost two syncs, not 32, and the main thread keeps serving requests
 * while the disk works. A failed sync poisons the file for good: after an fsync error the
 * kernel may have dropped the dirty pages, so no later success can vouch for them.
 */
export class WalSync {
  private fd: number | null = null;
  private running = false;
  private waiting: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private failure: Error | null = null;

  constructor(
    private readonly walPath: string,
    private readonly syncFn: SyncFn = fdatasync,
  ) {}

  /** Syncs the file now, blocking: for opening a store, before anything in it is served. */
  static syncNow(walPath: string): void {
    if (!existsSync(walPath)) return;
    const fd = openSync(walPath, 'r');
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running) this.start();
    });
  }

  /** The error that poisoned the file, if any: a store should refuse writes after it. */
  get failed(): Error | null {
    return this.failure;
  }

  private start(): void {
    const round = this.waiting;
    this.waiting = [];
    this.running = true;
    let fd: number;
    try {
      // Opened lazily: the -wal file exists once the connection has switched to WAL.
      fd = this.fd ??= openSync(this.walPath, 'r');
    } catch (error) {
      this.finish(round, error as Error);
      return;
    }
    this.syncFn(fd, (error) => this.finish(round, error));
  }

  private finish(round: Array<{ resolve: () => void; reject: (e: Error) => void }>, error: Error | null): void {
    this.running = false;
    if (error) this.failure ??= new Error(`fdatasync of ${this.walPath} failed: ${error.message}`);
    if (this.failure) {
      for (const w of [...round, ...this.waiting.splice(0)]) w.reject(this.failure);
      return;
    }
    for (const w of round) w.resolve();
    if (this.waiting.length) this.start();
  }

  /** Waits for the sync in flight (its fd must stay open until it returns), then closes. */
  async close(): Promise<void> {
    if (this.running || this.waiting.length) await this.sync().catch(() => undefined);
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
