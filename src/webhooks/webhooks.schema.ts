/**
 * Webhook state in the read database (portable SQL, run at module init). Endpoints are not
 * event-sourced: their secrets are credentials, and an event log is forever (SPEC §9 keeps
 * them out of events). The outbox is not a read model: once attempts happened it cannot be
 * rebuilt from the log, so it is never dropped and every attempt commits with full durability.
 *
 * `sort_key` columns are fixed-width `created_at` + id: one immutable text column that lists
 * page on, newest first, without repeating or skipping rows written meanwhile.
 */
export const WEBHOOKS_SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_endpoints (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  url TEXT NOT NULL,
  enabled_events TEXT NOT NULL,
  description TEXT,
  disabled INTEGER NOT NULL,
  secret TEXT NOT NULL,
  previous_secret TEXT,
  previous_secret_expires_at BIGINT,
  failing_since BIGINT,
  sort_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_endpoints_by_account ON webhook_endpoints (account_id, livemode, sort_key);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id TEXT PRIMARY KEY,
  endpoint_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  resource_version INTEGER,
  seq TEXT NOT NULL,
  status TEXT NOT NULL,
  attempt_count INTEGER NOT NULL,
  next_attempt_at BIGINT,
  receiver_wait_until BIGINT,
  locked_until BIGINT,
  sort_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  completed_at BIGINT
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_order ON webhook_deliveries (endpoint_id, resource_id, status, seq);
CREATE INDEX IF NOT EXISTS webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, sort_key);
-- An erasure (SPEC §8) finds the deliveries about a customer and its rentals by resource.
CREATE INDEX IF NOT EXISTS webhook_deliveries_by_resource ON webhook_deliveries (resource_id);
CREATE TABLE IF NOT EXISTS webhook_attempts (
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  attempted_at BIGINT NOT NULL,
  status_code INTEGER,
  duration_ms INTEGER NOT NULL,
  response_excerpt TEXT,
  error TEXT,
  next_retry_at BIGINT,
  PRIMARY KEY (delivery_id, attempt)
);
`;

/** Fixed-width text that sorts like the time, then the id: see sort_key above. */
export function sortKey(createdAt: number, ...parts: string[]): string {
  return [String(createdAt).padStart(15, '0'), ...parts].join(':');
}
