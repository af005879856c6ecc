import { Inject, Injectable } from '@nestjs/common';
import { newId } from '../../shared/ids';
import { READ_DB, ReadDb, SqlExecutor } from '../../shared/read-db/read-db.port';
import { sortKey } from '../webhooks.schema';

/** What the fan-out and replay queue: one event for one endpoint. */
export interface QueuedDelivery {
  endpointId: string;
  eventId: string;
  eventType: string;
  resourceId: string;
  resourceVersion: number | null;
  /** The event's global position (40-digit text): the order deliveries about one resource keep. */
  seq: string;
}

/** A pending delivery that may go now: due, unclaimed, first in line for its resource. */
export interface DueDelivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  attempt_count: number;
}

export async function queueDelivery(tx: SqlExecutor, d: QueuedDelivery, now: number): Promise<string> {
  const id = newId('wdl');
  await tx.run(
    `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, resource_id, resource_version, seq,
       status, attempt_count, next_attempt_at, receiver_wait_until, locked_until, sort_key, created_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, NULL, NULL, $9, $8, NULL)`,
    [id, d.endpointId, d.eventId, d.eventType, d.resourceId, d.resourceVersion, d.seq, now, sortKey(now, d.seq, id)],
  );
  return id;
}

/**
 * The dispatcher's view of the outbox. Claims are leases in the table, not only in memory,
 * so two processes on one database never send one delivery at once, and a crash mid-send
 * lets the lease lapse and the delivery go again (at-least-once).
 */
@Injectable()
export class WebhookOutbox {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  /**
   * SPEC §9 ordering: a delivery is eligible only when no pending delivery about the same
   * resource to the same endpoint comes before it (by event position, then id for a replayed
   * copy), so a later event waits while an earlier one is retried and other resources flow.
   * An in-flight delivery is still 'pending', so it keeps its successors waiting too.
   * Endpoints already at their concurrency limit are left out, so they cannot fill the batch.
   */
  async due(now: number, limit: number, busyEndpoints: string[]): Promise<DueDelivery[]> {
    const params: unknown[] = [now, limit, ...busyEndpoints];
    const busy = busyEndpoints.length
      ? ` AND d.endpoint_id NOT IN (${busyEndpoints.map((_, i) => `$${i + 3}`).join(', ')})`
      : '';
    return this.db.all<DueDelivery>(
      `SELECT d.id, d.endpoint_id, d.event_id, d.attempt_count
       FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND w.disabled = 0
         AND (d.locked_until IS NULL OR d.locked_until <= $1)${busy}
         AND NOT EXISTS (
           SELECT 1 FROM webhook_deliveries e
           WHERE e.endpoint_id = d.endpoint_id AND e.resource_id = d.resource_id AND e.status = 'pending'
             AND (e.seq < d.seq OR (e.seq = d.seq AND e.id < d.id)))
       ORDER BY d.next_attempt_at, d.seq
       LIMIT $2`,
      params,
    );
  }

  /** The earliest future attempt, so the dispatcher can sleep exactly until then. */
  async nextDueAt(now: number): Promise<number | null> {
    const row = await this.db.get<{ at: number | null }>(
      `SELECT MIN(next_attempt_at) AS at FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at > $1`,
      [now],
    );
    return row?.at ?? null;
  }

  /**
   * Takes the lease; false when another process got there first or the row moved on since
   * `due` read it (the attempt count guards against sending on a stale view).
   */
  async claim(d: DueDelivery, now: number, leaseUntil: number): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE webhook_deliveries SET locked_until = $1
       WHERE id = $2 AND status = 'pending' AND attempt_count = $3 AND (locked_until IS NULL OR locked_until <= $4)`,
      [leaseUntil, d.id, d.attempt_count, now],
    );
    return changes === 1;
  }

  /** Gives a lease back unsent (shutdown), so the next start sends it without waiting for the lease. */
  async release(id: string): Promise<void> {
    await this.db.run('UPDATE webhook_deliveries SET locked_until = NULL WHERE id = $1', [id]);
  }
}
