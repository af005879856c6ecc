import { PUBLIC_EVENT_TYPES } from '../events/public-event';
import { InvalidRequestError } from '../shared/errors/api-error';

/** SPEC §9: the event types an endpoint can subscribe to (`*` means all): the public ones. */
export const WEBHOOK_EVENT_TYPES = PUBLIC_EVENT_TYPES;

/** The public webhook endpoint object; `secret` appears only in the create response. */
export interface WebhookEndpointResource {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  enabled_events: string[];
  description: string | null;
  disabled: boolean;
  created_at: string;
  livemode: boolean;
  secret?: string;
}

/** A row of webhook_endpoints as the database returns it (booleans as 0/1, JSON as text). */
export interface WebhookEndpointRow {
  id: string;
  account_id: string;
  livemode: number;
  url: string;
  enabled_events: string;
  description: string | null;
  disabled: number;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  failing_since: number | null;
  sort_key: string;
  created_at: number;
  updated_at: number;
}

export function toWebhookEndpointResource(row: WebhookEndpointRow): WebhookEndpointResource {
  return {
    id: row.id,
    object: 'webhook_endpoint',
    url: row.url,
    enabled_events: JSON.parse(row.enabled_events) as string[],
    description: row.description,
    disabled: row.disabled === 1,
    created_at: new Date(row.created_at).toISOString(),
    livemode: row.livemode === 1,
  };
}

export function subscribesTo(enabledEvents: string[], type: string): boolean {
  return enabledEvents.includes('*') || enabledEvents.includes(type);
}

/**
 * SPEC §9 URLs: http(s) only, no embedded credentials (they would leak into logs), and
 * https in live mode; test mode may use http for local receivers. Where the host resolves
 * is not judged here: that is checked on every connection (outbound-network.policy.ts).
 */
export function assertWebhookUrl(url: string, livemode: boolean): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidRequestError('url must be an absolute http or https URL.', 'url');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InvalidRequestError('url must be an absolute http or https URL.', 'url');
  }
  if (livemode && parsed.protocol !== 'https:') {
    throw new InvalidRequestError('url must use https in live mode.', 'url');
  }
  if (parsed.username || parsed.password) {
    throw new InvalidRequestError('url must not contain credentials.', 'url');
  }
}

const ENDPOINT_ID = /^we_[0-9A-Za-z]{1,64}$/;
export const isWebhookEndpointId = (id: string) => ENDPOINT_ID.test(id);
