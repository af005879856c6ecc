/**
 * Tables the service keeps beside its read models, in the portable SQL subset both
 * dialects accept. Keys for personal data live in their own table (SPEC §8): erasing a
 * customer destroys one row there and every encrypted copy in the log becomes unreadable.
 */
export const READ_DB_SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  scope TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  idem_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER,
  response TEXT,
  resource_id TEXT,
  owner TEXT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, livemode, idem_key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_resource ON idempotency_keys (resource_id);
CREATE TABLE IF NOT EXISTS subject_keys (
  subject_id TEXT PRIMARY KEY,
  secret TEXT,
  created_at BIGINT NOT NULL,
  destroyed_at BIGINT
);
CREATE TABLE IF NOT EXISTS erased_resources (
  resource_id TEXT PRIMARY KEY,
  erased_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS erasures (
  generation BIGINT PRIMARY KEY,
  subject_id TEXT NOT NULL,
  erased_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
  name TEXT PRIMARY KEY,
  position TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
`;
