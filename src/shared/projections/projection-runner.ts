import { Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { ErasureFence } from '../erasure/erasure-fence';
import { EventCodecs } from '../event-store/event-codec';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_DB, ReadDb } from '../read-db/read-db.port';
import { SingleFlight } from '../single-flight';
import { CheckpointConflictError, CheckpointStore } from './checkpoint.store';
import { Projection, projectionTableDdl } from './projection';
import { applyBatch, decodeFor, liveTarget } from './projection-batch';

export const PROJECTIONS = Symbol('PROJECTIONS');
/**
 * Provided as `true` by processes that load the app only to operate on it (the CLI's
 * `projections` commands): their runner stays idle, so the serving process alone keeps the
 * live read models and a rebuild never races a second live runner of its own making.
 */
export const PROJECTION_RUNNER_IDLE = Symbol('PROJECTION_RUNNER_IDLE');
const BATCH = 1000;
const POLL_MS = 250;

interface Waiter {
  position: bigint;
  resolve: () => void;
}

/**
 * The checkpointed consumer of the global log that keeps every read model. Each batch of
 * events is applied to all projections and their checkpoints in ONE read-db transaction, so
 * after a crash a projection resumes exactly where its rows are: nothing lost, nothing twice.
 * It wakes on this process's appends and polls for other processes' writes. A rebuild that
 * swaps a table in (projection-swap.ts) may move a checkpoint past the one held here: the
 * next batch's compare-and-set then fails, rolls back, and the runner reloads and resumes.
 */
@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger('ProjectionRunner');
  private position = 0n;
  private waiters: Waiter[] = [];
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private checkpoints = new Map<string, bigint>();
  private readonly flight = new SingleFlight(() =>
    this.catchUp()
      .catch((error) => {
        // Another runner advanced a checkpoint first: our rows rolled back; resume from its.
        if (error instanceof CheckpointConflictError) return this.loadCheckpoints();
        throw error;
      })
      // Nothing may escape a pass: a rejection here would be unhandled and end the process.
      // The poll wakes the runner again; stale checkpoints just conflict and reload once more.
      .catch((error) => this.logger.error(`projection batch failed, will retry: ${error?.stack ?? error}`)),
  );

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
    private readonly codecs: EventCodecs,
    private readonly checkpointStore: CheckpointStore,
    private readonly fence: ErasureFence,
    @Optional() @Inject(PROJECTION_RUNNER_IDLE) private readonly idle: boolean = false,
  ) {}

  /** Runs after every module's init, so all event codecs are registered. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.idle) return;
    // Before any key is read for a batch or a request (erasure-fence.ts).
    await this.fence.mark();
    for (const p of this.projections) await this.db.exec(projectionTableDdl(p));
    await this.loadCheckpoints();
    this.unsubscribe = this.store.onAppended(() => this.wake());
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    try {
      await this.catchUp();
    } catch (error) {
      // Two processes starting together: the other runner won this batch; carry on from it.
      if (!(error instanceof CheckpointConflictError)) throw error;
      await this.loadCheckpoints();
      this.wake();
    }
  }

  /** Resolves once every projection has applied the log up to `position`. */
  waitFor(position: bigint): Promise<void> {
    if (this.position >= position) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ position, resolve });
      this.wake();
    });
  }

  private async loadCheckpoints(): Promise<void> {
    for (const p of this.projections) this.checkpoints.set(p.name, await this.checkpointStore.load(p.name));
    const all = [...this.checkpoints.values()];
    this.position = all.length ? all.reduce((a, b) => (a < b ? a : b)) : 0n;
    // Another process's runner may have applied what our waiters wait for.
    this.releaseWaiters();
  }

  /** Each projection's checkpoint and how far the log's head is ahead of it. */
  async lag(): Promise<Array<{ name: string; position: bigint; lag: bigint }>> {
    const head = await this.store.headPosition();
    return this.projections.map((p) => {
      const position = this.checkpoints.get(p.name) ?? 0n;
      return { name: p.name, position, lag: head > position ? head - position : 0n };
    });
  }

  wake(): void {
    this.flight.wake();
  }

  /**
   * Runs `fn` while no batch of this runner is in flight and none starts. An erasure
   * rewrites rows from the log once the key is gone; a batch decoded while the key was still
   * there must be committed before that (so the rewrite covers it), never after it.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.flight.exclusive(fn);
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const recorded = await this.store.readAll({ after: this.position, maxCount: BATCH });
      if (recorded.length === 0) return;
      const mark = await this.fence.mark();
      let events = await decodeFor(this.codecs, this.projections, recorded);
      const last = recorded[recorded.length - 1].position;
      // Relaxed durability: rows and checkpoint commit (or vanish) together, and the log
      // they are rebuilt from is already durable, so a lost commit is simply replayed.
      await this.db.transaction(
        async (tx) => {
          // Another process erased a subject since the decode: decode again without its key.
          if (await this.fence.enterBatch(tx, mark)) events = await decodeFor(this.codecs, this.projections, recorded);
          for (const projection of this.projections) {
            const from = this.checkpoints.get(projection.name) ?? 0n;
            // Projections start from different checkpoints (one just added, one just rebuilt):
            // the runner reads from the lowest, and one already past this batch sits it out.
            if (from >= last) continue;
            await applyBatch(tx, this.checkpointStore, projection, liveTarget(projection), events, from, last);
          }
        },
        { durability: 'relaxed' },
      );
      this.position = last;
      for (const p of this.projections) {
        if ((this.checkpoints.get(p.name) ?? 0n) < last) this.checkpoints.set(p.name, last);
      }
      this.releaseWaiters();
    }
  }

  private releaseWaiters(): void {
    const ready = this.waiters.filter((w) => w.position <= this.position);
    this.waiters = this.waiters.filter((w) => w.position > this.position);
    for (const w of ready) w.resolve();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.flight.stop();
  }
}
