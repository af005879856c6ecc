import { Inject, Injectable } from '@nestjs/common';
import { AuthContext } from '../shared/auth/auth-context';
import { InvalidRequestError, NotFoundError } from '../shared/errors/api-error';
import { Page, pageOf } from '../shared/http/list-page';
import { READ_DB, ReadDb } from '../shared/read-db/read-db.port';
import { isWebhookEndpointId, toWebhookEndpointResource, WebhookEndpointResource, WebhookEndpointRow } from './webhook-endpoint.resource';

export interface EndpointChanges {
  url?: string;
  enabled_events?: string[];
  description?: string | null;
  disabled?: boolean;
}

const COLUMNS = ['url', 'enabled_events', 'description', 'disabled'] as const;

/** The webhook_endpoints table; every lookup by a client is scoped to its account and mode. */
@Injectable()
export class WebhookEndpoints {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  async insert(row: WebhookEndpointRow): Promise<void> {
    const names = Object.keys(row) as Array<keyof WebhookEndpointRow>;
    await this.db.run(
      `INSERT INTO webhook_endpoints (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      names.map((n) => row[n]),
    );
  }

  /** The endpoint, or a 404 exactly like a missing one when it belongs to another account or mode (SPEC §2). */
  async get(auth: AuthContext, id: string): Promise<WebhookEndpointRow> {
    const row = isWebhookEndpointId(id)
      ? await this.db.get<WebhookEndpointRow>(
          'SELECT * FROM webhook_endpoints WHERE id = $1 AND account_id = $2 AND livemode = $3',
          [id, auth.accountId, auth.livemode ? 1 : 0],
        )
      : undefined;
    if (!row) throw new NotFoundError('webhook endpoint', id);
    return row;
  }

  async list(
    auth: AuthContext,
    page: { limit: number; starting_after?: string; ending_before?: string },
  ): Promise<Page<WebhookEndpointResource>> {
    const params: unknown[] = [auth.accountId, auth.livemode ? 1 : 0];
    let cursor = '';
    const backwards = page.ending_before !== undefined;
    const cursorId = page.starting_after ?? page.ending_before;
    if (cursorId !== undefined) {
      const row = await this.db.get<{ sort_key: string }>(
        'SELECT sort_key FROM webhook_endpoints WHERE id = $1 AND account_id = $2 AND livemode = $3',
        [cursorId, ...params],
      );
      const param = backwards ? 'ending_before' : 'starting_after';
      if (!row) throw new InvalidRequestError(`No such webhook endpoint: '${cursorId}'`, param, 'resource_missing');
      params.push(row.sort_key);
      cursor = ` AND sort_key ${backwards ? '>' : '<'} $3`;
    }
    params.push(page.limit + 1);
    const rows = await this.db.all<WebhookEndpointRow>(
      `SELECT * FROM webhook_endpoints WHERE account_id = $1 AND livemode = $2${cursor}
       ORDER BY sort_key ${backwards ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
      params,
    );
    return pageOf(rows.map(toWebhookEndpointResource), page.limit, backwards);
  }

  async update(id: string, changes: EndpointChanges, now: number): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const name of COLUMNS) {
      const value = changes[name];
      if (value === undefined) continue;
      params.push(name === 'enabled_events' ? JSON.stringify(value) : value);
      sets.push(`${name} = $${params.length}`);
    }
    // Re-enabling starts the 5-day failure clock afresh (SPEC §9).
    if (changes.disabled === false) sets.push('failing_since = NULL');
    params.push(now, id);
    await this.db.run(
      `UPDATE webhook_endpoints SET ${[...sets, `updated_at = $${params.length - 1}`].join(', ')} WHERE id = $${params.length}`,
      params,
    );
  }

  /** The old secret keeps signing until `previousExpiresAt`, so receivers can switch without a gap. */
  async rotateSecret(id: string, secret: string, previousExpiresAt: number, now: number): Promise<void> {
    await this.db.run(
      `UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = $1, secret = $2, updated_at = $3
       WHERE id = $4`,
      [previousExpiresAt, secret, now, id],
    );
  }

  /** Deletes the endpoint with its outbox rows: nothing more is ever sent to it. */
  async delete(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1)', [id]);
      await tx.run('DELETE FROM webhook_deliveries WHERE endpoint_id = $1', [id]);
      await tx.run('DELETE FROM webhook_endpoints WHERE id = $1', [id]);
    });
  }
}
