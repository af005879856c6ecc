import { Inject, Injectable } from '@nestjs/common';
import { AuthContext } from '../shared/auth/auth-context';
import { InvalidRequestError, NotFoundError } from '../shared/errors/api-error';
import { Page, pageOf } from '../shared/http/list-page';
import { READ_DB, ReadDb } from '../shared/read-db/read-db.port';
import { queueDelivery } from './delivery/webhook-outbox';
import { PublicEvent } from './public-event-log';
import { AttemptRow, DeliveryRow, toWebhookDeliveryResource, WebhookDeliveryResource } from './webhook-delivery.resource';

const DELIVERY_COLUMNS = `d.id, d.endpoint_id, d.event_id, d.event_type, d.resource_id, d.resource_version, d.status,
  d.attempt_count, d.next_attempt_at, d.created_at, d.completed_at`;

/** The outbox as the API shows and steers it; every lookup is scoped through its endpoint. */
@Injectable()
export class WebhookDeliveries {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  async list(
    endpointId: string,
    page: { limit: number; starting_after?: string; ending_before?: string },
  ): Promise<Page<WebhookDeliveryResource>> {
    const params: unknown[] = [endpointId];
    let cursor = '';
    const backwards = page.ending_before !== undefined;
    const cursorId = page.starting_after ?? page.ending_before;
    if (cursorId !== undefined) {
      const row = await this.db.get<{ sort_key: string }>(
        'SELECT sort_key FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2',
        [cursorId, endpointId],
      );
      const param = backwards ? 'ending_before' : 'starting_after';
      if (!row) throw new InvalidRequestError(`No such webhook delivery: '${cursorId}'`, param, 'resource_missing');
      params.push(row.sort_key);
      cursor = ` AND d.sort_key ${backwards ? '>' : '<'} $2`;
    }
    params.push(page.limit + 1);
    const rows = await this.db.all<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.endpoint_id = $1${cursor}
       ORDER BY d.sort_key ${backwards ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
      params,
    );
    const attempts = await this.attemptsOf(rows.slice(0, page.limit).map((r) => r.id));
    return pageOf(
      rows.map((r) => toWebhookDeliveryResource(r, attempts.get(r.id) ?? [])),
      page.limit,
      backwards,
    );
  }

  async get(auth: AuthContext, id: string): Promise<WebhookDeliveryResource> {
    const row = await this.db.get<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
       WHERE d.id = $1 AND w.account_id = $2 AND w.livemode = $3`,
      [id, auth.accountId, auth.livemode ? 1 : 0],
    );
    if (!row) throw new NotFoundError('webhook delivery', id);
    return toWebhookDeliveryResource(row, (await this.attemptsOf([id])).get(id) ?? []);
  }

  /**
   * Makes the delivery due now, whatever its state. A failed one gets exactly one more
   * attempt (its schedule is spent); a pending one skips the rest of its wait.
   */
  async requeue(id: string, now: number): Promise<void> {
    await this.db.run(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $1, completed_at = NULL WHERE id = $2`,
      [now, id],
    );
  }

  /** Replay: new deliveries of old events, in log order, each keeping its event id (webhook-id). */
  async queueReplay(endpointId: string, events: PublicEvent[], now: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      for (const e of events) {
        await queueDelivery(tx, { endpointId, eventId: e.id, eventType: e.type, resourceId: e.resourceId,
          resourceVersion: e.resourceVersion, seq: e.seq }, now);
      }
      return events.length;
    });
  }

  private async attemptsOf(ids: string[]): Promise<Map<string, AttemptRow[]>> {
    const byDelivery = new Map<string, AttemptRow[]>();
    if (ids.length === 0) return byDelivery;
    const rows = await this.db.all<AttemptRow>(
      `SELECT delivery_id, attempted_at, status_code, duration_ms, response_excerpt, error, next_retry_at
       FROM webhook_attempts WHERE delivery_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})
       ORDER BY delivery_id, attempt`,
      ids,
    );
    for (const row of rows) byDelivery.set(row.delivery_id, [...(byDelivery.get(row.delivery_id) ?? []), row]);
    return byDelivery;
  }
}
