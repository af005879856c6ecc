import { Inject, Injectable } from '@nestjs/common';
import { READ_DB, ReadDb } from '../../shared/read-db/read-db.port';
import { PublicEventLog } from '../public-event-log';
import { activeSecrets, webhookHeaders } from './webhook-signature';
import { DueDelivery } from './webhook-outbox';

export type DeliveryMessage =
  | { ok: true; url: string; body: string; headers: Record<string, string> }
  | { ok: false; error: string };

interface SigningRow {
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
}

/**
 * Builds the HTTP message for a delivery at send time. The body is the event object as the
 * event log holds it now, not a copy taken at fan-out: the outbox keeps no payloads, so a
 * customer's erasure (SPEC §8) leaves no readable personal data in webhook tables, and a
 * replayed or retried delivery sends exactly what GET /v1/events/{id} shows.
 */
@Injectable()
export class DeliveryMessages {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly events: PublicEventLog,
  ) {}

  async load(delivery: DueDelivery, at: Date): Promise<DeliveryMessage> {
    const endpoint = await this.db.get<SigningRow>(
      'SELECT url, secret, previous_secret, previous_secret_expires_at FROM webhook_endpoints WHERE id = $1',
      [delivery.endpoint_id],
    );
    if (!endpoint) return { ok: false, error: 'the endpoint was deleted' };
    const body = await this.events.document(delivery.event_id);
    if (body === null) return { ok: false, error: `event ${delivery.event_id} is no longer in the event log` };
    const secrets = activeSecrets(
      {
        current: endpoint.secret,
        previous: endpoint.previous_secret,
        previousExpiresAt: endpoint.previous_secret_expires_at,
      },
      at.getTime(),
    );
    return { ok: true, url: endpoint.url, body, headers: webhookHeaders(delivery.event_id, body, secrets, at) };
  }
}
