import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '../../shared/event-store/event-store.port';
import { CheckpointConflictError, CheckpointStore } from '../../shared/projections/checkpoint.store';
import { SingleFlight } from '../../shared/single-flight';
import { ProjectionRunner } from '../../shared/projections/projection-runner';
import { READ_DB, ReadDb, SqlExecutor } from '../../shared/read-db/read-db.port';
import { PublicEvent, PublicEventLog } from '../public-event-log';
import { subscribesTo } from '../webhook-endpoint.resource';
import { queueDelivery } from './webhook-outbox';

export const WEBHOOKS_CHECKPOINT = 'webhooks';
const BATCH = 500;
/** Fallback for events appended by other processes; this process's own appends wake us at once. */
const POLL_MS = 200;
/** How often the fan-out makes sure its index on the events table survived a rebuild. */
const INDEX_CHECK_MS = 60_000;
const COALESCE_MS = 10;

interface Subscriber {
  id: string;
  enabledEvents: string[];
  createdAt: number;
}

/**
 * The webhooks subscriber of the log (SPEC §9). It reads the events read model after its own
 * checkpoint and, in ONE transaction, queues a delivery per matching endpoint and moves the
 * checkpoint (compare-and-set). A crash before the commit leaves neither, so the batch is
 * read again; after it, both: no event is lost or queued twice.
 *
 * Relaxed durability, like the read models: everything this commits is derived from the
 * events read model and can be derived again. A power cut can lose only the last such
 * commits, and then checkpoint and deliveries vanish together and are re-read; the first
 * attempt recorded for a delivery is a full commit, which flushes the log (SQLite WAL,
 * PostgreSQL WAL) up to itself and so makes the delivery it sent durable first.
 */
@Injectable()
export class WebhookFanout {
  private readonly logger = new Logger('WebhookFanout');
  private position: bigint | null = null;
  private indexCheckedAt = 0;
  private lastFailure: string | null = null;
  private readonly flight = new SingleFlight(() =>
    this.catchUp().catch((error) => {
      // Another process moved the checkpoint first: our inserts rolled back; resume from its position.
      if (error instanceof CheckpointConflictError) this.position = null;
      else this.reportFailure(error);
    }),
  );
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    private readonly checkpoints: CheckpointStore,
    private readonly events: PublicEventLog,
  ) {}

  /** `queued` is told after each commit that queued deliveries, to wake the dispatcher. */
  start(queued: () => void): void {
    this.onQueued = queued;
    // An append is in rm_events once the runner has applied it: wait for that, then read.
    this.unsubscribe = this.store.onAppended((position) => void this.runner.waitFor(position).then(() => this.wakeSoon()));
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
    this.wake();
  }

  private onQueued: () => void = () => undefined;
  private soon?: NodeJS.Timeout;

  /**
   * Under write load every append batch would cost a fan-out transaction of its own; a few
   * milliseconds of coalescing turn hundreds of small transactions a second into a handful
   * of larger ones, for a delay no webhook receiver can notice.
   */
  private wakeSoon(): void {
    if (this.soon || this.stopped) return;
    this.soon = setTimeout(() => {
      this.soon = undefined;
      this.wake();
    }, COALESCE_MS);
  }

  wake(): void {
    if (!this.stopped) this.flight.wake();
  }

  private async catchUp(): Promise<void> {
    while (!this.stopped) {
      const from = this.position ?? (await this.checkpoints.load(WEBHOOKS_CHECKPOINT));
      // Idle polls stop here, on one primary-key read.
      const applied = await this.events.appliedUpTo();
      if (applied <= from) return;
      if (Date.now() - this.indexCheckedAt > INDEX_CHECK_MS) {
        await this.events.ensureSeqIndex();
        this.indexCheckedAt = Date.now();
      }
      const batch = await this.db.transaction(async (tx) => {
        const events = await this.events.between(tx, from, applied, BATCH);
        // A short batch is everything up to `applied`: the checkpoint follows the events
        // read model's, so it shows how far webhooks have seen the log.
        const to = events.length === BATCH ? BigInt(events[events.length - 1].seq) : applied;
        const queued = await this.queue(tx, events);
        await this.checkpoints.advance(tx, WEBHOOKS_CHECKPOINT, from, to);
        return { to, queued };
      }, { durability: 'relaxed' });
      this.position = batch.to;
      this.lastFailure = null;
      if (batch.queued > 0) this.onQueued();
    }
  }

  /**
   * An endpoint gets the events that happened from its creation on: one created while the
   * fan-out lagged does not receive history (replay is there for that). Disabled endpoints
   * are not subscribed.
   */
  private async queue(tx: SqlExecutor, events: PublicEvent[]): Promise<number> {
    const subscribers = new Map<string, Subscriber[]>();
    const now = Date.now();
    let queued = 0;
    for (const event of events) {
      const scope = `${event.accountId}:${event.livemode ? 1 : 0}`;
      if (!subscribers.has(scope)) subscribers.set(scope, await this.subscribersOf(tx, event.accountId, event.livemode));
      for (const endpoint of subscribers.get(scope)!) {
        if (endpoint.createdAt > event.createdAt || !subscribesTo(endpoint.enabledEvents, event.type)) continue;
        await queueDelivery(tx, { endpointId: endpoint.id, eventId: event.id, eventType: event.type,
          resourceId: event.resourceId, resourceVersion: event.resourceVersion, seq: event.seq }, now);
        queued++;
      }
    }
    return queued;
  }

  private async subscribersOf(tx: SqlExecutor, accountId: string, livemode: boolean): Promise<Subscriber[]> {
    const rows = await tx.all<{ id: string; enabled_events: string; created_at: number }>(
      'SELECT id, enabled_events, created_at FROM webhook_endpoints WHERE account_id = $1 AND livemode = $2 AND disabled = 0',
      [accountId, livemode ? 1 : 0],
    );
    return rows.map((r) => ({ id: r.id, enabledEvents: JSON.parse(r.enabled_events) as string[], createdAt: r.created_at }));
  }

  /** Logged once per distinct failure: a poll every 200 ms must not flood the log. */
  private reportFailure(error: unknown): void {
    const message = (error as Error)?.message ?? String(error);
    if (message !== this.lastFailure) this.logger.warn(`webhook fan-out failed, will retry: ${message}`);
    this.lastFailure = message;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.soon);
    this.unsubscribe?.();
    await this.flight.stop();
  }
}
