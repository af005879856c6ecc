import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventCodecs, Envelope } from '../event-store/event-codec';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { READ_DB, ReadDb, SqlExecutor } from '../read-db/read-db.port';
import { CheckpointConflictError, CheckpointStore } from './checkpoint.store';
import { Projection, projectionTableDdl } from './projection';

export const PROJECTIONS = Symbol('PROJECTIONS');
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
 * It wakes on this process's appends and polls for other processes' writes.
 */
@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap {
  private readonly logger = new Logger('ProjectionRunner');
  private position = 0n;
  private running: Promise<void> | null = null;
  private again = false;
  private waiters: Waiter[] = [];
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private checkpoints = new Map<string, bigint>();
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
    private readonly codecs: EventCodecs,
    private readonly checkpointStore: CheckpointStore,
  ) {}

  /** Runs after every module's init, so all event codecs are registered. */
  async onApplicationBootstrap(): Promise<void> {
    for (const p of this.projections) await this.db.exec(projectionTableDdl(p));
    await this.loadCheckpoints();
    this.unsubscribe = this.store.onAppended(() => this.wake());
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    await this.catchUp();
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
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.catchUp()
      .catch((error) => {
        // Another runner advanced a checkpoint first: our rows rolled back; resume from its.
        if (error instanceof CheckpointConflictError) return this.loadCheckpoints();
        this.logger.error(`projection batch failed, will retry: ${error?.stack ?? error}`);
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const recorded = await this.store.readAll({ after: this.position, maxCount: BATCH });
      if (recorded.length === 0) return;
      const events = await Promise.all(recorded.map((e) => this.codecs.decode(e)));
      const last = recorded[recorded.length - 1].position;
      // Relaxed durability: rows and checkpoint commit (or vanish) together, and the log
      // they are rebuilt from is already durable, so a lost commit is simply replayed.
      await this.db.transaction(
        async (tx) => {
          for (const projection of this.projections) await this.apply(tx, projection, events, last);
        },
        { durability: 'relaxed' },
      );
      this.position = last;
      for (const p of this.projections) this.checkpoints.set(p.name, last);
      this.releaseWaiters();
    }
  }

  private async apply(tx: SqlExecutor, projection: Projection, events: Envelope[], last: bigint) {
    const from = this.checkpoints.get(projection.name) ?? 0n;
    const relevant = events.filter(
      (e) => e.position > from && projection.streamPrefixes.some((p) => e.streamName.startsWith(p)),
    );
    const touched = new Map<string, unknown>();
    const ids = [...new Set(relevant.map((e) => projection.rowId(e)).filter((id): id is string => id !== null))];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await tx.all<{ id: string; doc: string }>(
        `SELECT id, doc FROM ${projection.table} WHERE id IN (${chunk.map((_, j) => `$${j + 1}`).join(', ')})`,
        chunk,
      );
      for (const id of chunk) touched.set(id, null);
      for (const row of rows) touched.set(row.id, JSON.parse(row.doc));
    }
    for (const event of relevant) {
      const id = projection.rowId(event);
      if (id !== null) touched.set(id, projection.evolve(touched.get(id) ?? null, event));
    }
    await writeRows(tx, projection, touched);
    await this.checkpointStore.advance(tx, projection.name, from, last);
  }

  private releaseWaiters(): void {
    const ready = this.waiters.filter((w) => w.position <= this.position);
    this.waiters = this.waiters.filter((w) => w.position > this.position);
    for (const w of ready) w.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.running;
  }
}

async function writeRows(tx: SqlExecutor, projection: Projection, rows: Map<string, unknown>) {
  const names = Object.keys(projection.columns);
  const upsert =
    `INSERT INTO ${projection.table} (id, ${names.join(', ')}, doc) ` +
    `VALUES (${['id', ...names, 'doc'].map((_, i) => `$${i + 1}`).join(', ')}) ` +
    `ON CONFLICT (id) DO UPDATE SET ${[...names, 'doc'].map((n) => `${n} = excluded.${n}`).join(', ')}`;
  for (const [id, doc] of rows) {
    if (doc === null) {
      await tx.run(`DELETE FROM ${projection.table} WHERE id = $1`, [id]);
    } else {
      const values = names.map((n) => projection.columns[n].value(doc as never));
      await tx.run(upsert, [id, ...values, JSON.stringify(doc)]);
    }
  }
}
