import { EventCodecs } from '../event-store/event-codec';
import { EventStore } from '../event-store/event-store.port';
import { ReadDb, SqlExecutor, UniqueViolationError } from '../read-db/read-db.port';
import { CheckpointStore } from './checkpoint.store';
import { Projection, projectionTableOnlyDdl } from './projection';
import { ErasureFence } from '../erasure/erasure-fence';
import { applyBatch, decodeFor, rebuildTarget } from './projection-batch';
import { swapRebuiltTable } from './projection-swap';

const CHASE_ROUNDS = 3;

export interface RebuildProgress {
  projection: string;
  /** The log position the rebuilt table has applied, and the log's head as last seen. */
  position: bigint;
  head: bigint;
  /** 0n for a fresh rebuild, else the position a stopped (or killed) rebuild had reached. */
  resumedFrom: bigint;
  /** Events this run has read from the log. */
  events: number;
  elapsedMs: number;
}

export interface RebuildOptions {
  batchSize?: number;
  /** Pause between batches, to spare a busy database: a rebuild is never urgent. */
  pauseMs?: number;
  /** Discard a stopped rebuild and start again from position 0. */
  restart?: boolean;
  onProgress?: (progress: RebuildProgress) => void;
  /** Stops between batches; the checkpoint keeps what was done, so a later run resumes. */
  signal?: AbortSignal;
}

export interface RebuildResult extends RebuildProgress {
  /** The live checkpoint after the swap: the rebuilt table is exactly this far. */
  swappedAt: bigint;
}

/** Positions are decimal text: EventStoreDB's packed positions do not fit a JSON number. */
export interface ProjectionStatus {
  name: string;
  table: string;
  /** `rebuilding` while a rebuild's side table exists, also one that was stopped or killed. */
  state: 'live' | 'rebuilding';
  position: string;
  head: string;
  lag: number;
  rebuild?: { position: string; lag: number };
}

export class RebuildInterruptedError extends Error {
  constructor(readonly progress: RebuildProgress) {
    super(`rebuild of ${progress.projection} stopped at position ${progress.position}; run it again to resume`);
  }
}

/**
 * Rebuilds a read model from the log while the live one keeps serving: a side table and
 * checkpoint (`rebuildTarget`) are filled by the same `applyBatch` the live runner uses, a
 * batch and its checkpoint per transaction, so a rebuild killed at any instant resumes from
 * its last commit. Caught up, it swaps the table in (projection-swap.ts).
 */
export class ProjectionRebuild {
  constructor(
    private readonly store: EventStore,
    private readonly db: ReadDb,
    private readonly codecs: EventCodecs,
    private readonly checkpoints: CheckpointStore,
    /** Keeps batches apart from erasures in the serving processes (erasure-fence.ts). */
    private readonly fence?: ErasureFence,
  ) {}

  async run(projection: Projection, options: RebuildOptions = {}): Promise<RebuildResult> {
    const built = await this.build(projection, options);
    const swappedAt = await swapRebuiltTable(
      this.db,
      this.checkpoints,
      projection,
      (tx, after) => this.applyNext(projection, after, options.batchSize ?? 500, tx),
      // Before the DROP: the catch-up inside the swap takes the erasure lock too, and an
      // erasure holding it would wait for the dropped table (a deadlock on PostgreSQL).
      async (tx) => this.fence?.holdOffErasures(tx),
    );
    return { ...built, swappedAt };
  }

  /** Fills the side table up to the log's head (or within a batch of a moving one); no swap. */
  async build(projection: Projection, options: RebuildOptions = {}): Promise<RebuildProgress> {
    const batchSize = options.batchSize ?? 500;
    const started = Date.now();
    const resumedFrom = await this.prepare(projection, options.restart ?? false);
    const progress: RebuildProgress = {
      projection: projection.name,
      position: resumedFrom,
      head: await this.store.headPosition(),
      resumedFrom,
      events: 0,
      elapsedMs: 0,
    };
    options.onProgress?.({ ...progress });
    // Under a steady stream of writes the head keeps moving: chase it for a few rounds, then
    // stop within a batch of it and let the swap apply the rest inside its transaction.
    let target = progress.head;
    for (let round = 0; ; ) {
      if (options.signal?.aborted) throw new RebuildInterruptedError({ ...progress });
      if (progress.position >= target) {
        progress.head = await this.store.headPosition();
        if (progress.head - progress.position <= BigInt(batchSize) || ++round >= CHASE_ROUNDS) return progress;
        target = progress.head;
      }
      const read = await this.applyNext(projection, progress.position, batchSize);
      if (!read) return progress;
      progress.position = read.position;
      progress.events += read.events;
      if (progress.position > progress.head) progress.head = progress.position;
      progress.elapsedMs = Date.now() - started;
      options.onProgress?.({ ...progress });
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  }

  /** One batch into the side table, in its own transaction; null when the log has no more. */
  async applyNext(projection: Projection, after: bigint, batchSize: number, tx?: SqlExecutor) {
    const recorded = await this.store.readAll({ after, maxCount: batchSize });
    if (recorded.length === 0) return null;
    const last = recorded[recorded.length - 1].position;
    const mark = await this.fence?.mark();
    let events = await decodeFor(this.codecs, [projection], recorded);
    const apply = async (executor: SqlExecutor) => {
      if (this.fence && (await this.fence.enterBatch(executor, mark!))) events = await decodeFor(this.codecs, [projection], recorded);
      await applyBatch(executor, this.checkpoints, projection, rebuildTarget(projection), events, after, last);
    };
    // Relaxed durability as in the live runner: a lost commit is replayed from the log.
    if (tx) await apply(tx);
    else await this.db.transaction(apply, { durability: 'relaxed' });
    return { position: last, events: recorded.length };
  }

  /** Each read model's checkpoint against the log's head, and any rebuild under way. */
  async status(projections: Projection[]): Promise<ProjectionStatus[]> {
    const head = await this.store.headPosition();
    const lag = (position: bigint) => Number(head > position ? head - position : 0n);
    const out: ProjectionStatus[] = [];
    for (const projection of projections) {
      const position = await this.checkpoints.load(projection.name);
      const rebuild = await this.checkpoints.find(rebuildTarget(projection).checkpoint);
      out.push({
        name: projection.name,
        table: projection.table,
        state: rebuild === null ? 'live' : 'rebuilding',
        position: position.toString(),
        head: head.toString(),
        lag: lag(position),
        ...(rebuild === null ? {} : { rebuild: { position: rebuild.toString(), lag: lag(rebuild) } }),
      });
    }
    return out;
  }

  /** Resumes a stopped rebuild, or starts one on a new, empty side table. */
  private async prepare(projection: Projection, restart: boolean): Promise<bigint> {
    const target = rebuildTarget(projection);
    if (restart) await this.db.transaction((tx) => this.checkpoints.remove(tx, target.checkpoint));
    const existing = await this.checkpoints.find(target.checkpoint);
    if (existing !== null) return existing;
    try {
      // Table and checkpoint appear together: a side table without a checkpoint is always
      // a leftover, and a second rebuild started at the same moment fails on the checkpoint.
      await this.db.transaction(async (tx) => {
        await tx.run(`DROP TABLE IF EXISTS ${target.table}`);
        await tx.run(projectionTableOnlyDdl(projection, target.table));
        await this.checkpoints.create(tx, target.checkpoint);
      });
    } catch (error) {
      if (error instanceof UniqueViolationError) return this.checkpoints.load(target.checkpoint);
      throw error;
    }
    return 0n;
  }
}
