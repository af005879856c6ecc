import { Inject, Injectable, Logger } from '@nestjs/common';
import { READ_DB, ReadDb, SqlExecutor } from '../../shared/read-db/read-db.port';
import { AttemptDecision, AttemptResult, failingTooLong } from './retry-policy';

export interface AttemptRecord {
  deliveryId: string;
  endpointId: string;
  /** 1-based number of this attempt. */
  attempt: number;
  attemptedAt: number;
  result: AttemptResult;
  decision: AttemptDecision;
}

/** What recording changed about the endpoint, for logs and for waking the dispatcher. */
export interface EndpointEffect {
  disabled: 'gone' | 'failing_too_long' | null;
  backlogReleased: number;
}

interface Pending {
  record: AttemptRecord;
  resolve: (effect: EndpointEffect) => void;
  reject: (error: unknown) => void;
}

/**
 * Records an attempt and everything it implies in ONE transaction: the attempt row, the
 * delivery's new state, the endpoint's failure clock, disabling, and the backlog release.
 * A crash either keeps all of it or none (then the lease lapses and the send is repeated).
 *
 * Attempts that finish in the same event-loop turn are recorded in one transaction, so one
 * flush to disk serves them all instead of one each (the dispatcher runs up to 64 sends at
 * once). If that transaction fails, each attempt is recorded again on its own, so one bad
 * record cannot fail the others.
 */
@Injectable()
export class DeliveryAttempts {
  private readonly logger = new Logger('Webhooks');
  private queue: Pending[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  record(record: AttemptRecord): Promise<EndpointEffect> {
    return new Promise<EndpointEffect>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (this.queue.length === 1) {
        // After this turn's other attempts, and after the flush in flight.
        setImmediate(() => (this.flushing = this.flushing.then(() => this.flush(), () => this.flush())));
      }
    }).then((effect) => {
      this.report(record, effect);
      return effect;
    });
  }

  private async flush(): Promise<void> {
    // One flush at a time, each locking endpoint rows in one order: two batches (or two
    // processes) updating the same endpoints in opposite orders would deadlock on PostgreSQL.
    const batch = this.queue.sort((x, y) => compare(x.record, y.record));
    this.queue = [];
    try {
      const effects = await this.db.transaction(async (tx) => {
        const out: EndpointEffect[] = [];
        for (const { record } of batch) out.push(await this.apply(tx, record));
        return out;
      });
      batch.forEach((p, i) => p.resolve(effects[i]));
    } catch (error) {
      if (batch.length === 1) batch[0].reject(error);
      else for (const p of batch) await this.db.transaction((tx) => this.apply(tx, p.record)).then(p.resolve, p.reject);
    }
  }

  private report(r: AttemptRecord, effect: EndpointEffect): void {
    if (effect.disabled === 'gone') {
      this.logger.warn(`webhook endpoint ${r.endpointId} answered 410 Gone and was disabled`);
    } else if (effect.disabled === 'failing_too_long') {
      this.logger.warn(`webhook endpoint ${r.endpointId} has failed for 5 days straight and was disabled`);
    }
  }

  private async apply(tx: SqlExecutor, r: AttemptRecord): Promise<EndpointEffect> {
    const done = r.decision.outcome === 'retry' ? null : r.attemptedAt;
    const { changes } = await tx.run(
      `UPDATE webhook_deliveries SET status = $1, attempt_count = $2, next_attempt_at = $3, locked_until = NULL,
         completed_at = $4, receiver_wait_until = $5 WHERE id = $6`,
      [r.decision.outcome === 'retry' ? 'pending' : r.decision.outcome, r.attempt, r.decision.nextAttemptAt, done,
        r.decision.receiverAskedToWait ? r.decision.nextAttemptAt : null, r.deliveryId],
    );
    // The endpoint was deleted mid-send: its outbox is gone, and so is anything to record.
    if (changes === 0) return { disabled: null, backlogReleased: 0 };
    await tx.run(
      `INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, duration_ms, response_excerpt, error, next_retry_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.deliveryId, r.attempt, r.attemptedAt, r.result.statusCode, r.result.durationMs, r.result.responseExcerpt,
        r.result.error, r.decision.nextAttemptAt],
    );
    return r.decision.outcome === 'succeeded' ? this.recovered(tx, r) : this.failed(tx, r);
  }

  /**
   * SPEC §9: when a failing endpoint succeeds again its backlog goes at once. Pending
   * deliveries parked until a later retry slot are made due now; the ordering rule still
   * applies, so each resource's deliveries go out in order. A wait the receiver asked for
   * itself (Retry-After) is kept: its word counts over our inference that it recovered.
   */
  private async recovered(tx: SqlExecutor, r: AttemptRecord): Promise<EndpointEffect> {
    const row = await tx.get<{ failing_since: number | null }>('SELECT failing_since FROM webhook_endpoints WHERE id = $1', [
      r.endpointId,
    ]);
    if (!row || row.failing_since === null) return { disabled: null, backlogReleased: 0 };
    await tx.run('UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1', [r.endpointId]);
    const { changes } = await tx.run(
      `UPDATE webhook_deliveries SET next_attempt_at = $1
       WHERE endpoint_id = $2 AND status = 'pending' AND next_attempt_at > $1
         AND (receiver_wait_until IS NULL OR receiver_wait_until <= $1)`,
      [r.attemptedAt, r.endpointId],
    );
    return { disabled: null, backlogReleased: changes };
  }

  private async failed(tx: SqlExecutor, r: AttemptRecord): Promise<EndpointEffect> {
    await tx.run('UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $1) WHERE id = $2', [
      r.attemptedAt,
      r.endpointId,
    ]);
    const row = await tx.get<{ failing_since: number | null; disabled: number }>(
      'SELECT failing_since, disabled FROM webhook_endpoints WHERE id = $1',
      [r.endpointId],
    );
    if (!row || row.disabled === 1) return { disabled: null, backlogReleased: 0 };
    const disabled = r.decision.disableEndpoint ? 'gone' : failingTooLong(row.failing_since, r.attemptedAt) ? 'failing_too_long' : null;
    if (disabled) {
      await tx.run('UPDATE webhook_endpoints SET disabled = 1, updated_at = $1 WHERE id = $2', [r.attemptedAt, r.endpointId]);
    }
    return { disabled, backlogReleased: 0 };
  }
}

const compare = (x: AttemptRecord, y: AttemptRecord) =>
  x.endpointId < y.endpointId ? -1 : x.endpointId > y.endpointId ? 1 : x.deliveryId < y.deliveryId ? -1 : x.deliveryId > y.deliveryId ? 1 : 0;
