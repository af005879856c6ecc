import { resolve } from 'node:path';

export type EventStoreKind = 'sqlite' | 'postgres' | 'esdb';

/** Settings from the environment (SPEC §10), validated once at start. */
export interface AppConfig {
  port: number;
  dataDir: string;
  eventStore: EventStoreKind;
  eventStoreConnectionString?: string;
  databaseUrl?: string;
  logLevel: string;
  webhookRetrySchedule: number[];
  webhookTimeoutMs: number;
  webhookAllowPrivateNetworks: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer 0..65535, got "${env.PORT}"`);
  }
  const esdbUrl = env.EVENTSTORE_CONNECTION_STRING || undefined;
  const databaseUrl = env.DATABASE_URL || undefined;
  if (esdbUrl && !/^esdb(\+discover)?:\/\//.test(esdbUrl)) {
    throw new ConfigError(`EVENTSTORE_CONNECTION_STRING must be an esdb:// URL, got "${esdbUrl}"`);
  }
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must be a postgres:// URL, got "${databaseUrl}"`);
  }
  const inferred: EventStoreKind = esdbUrl ? 'esdb' : databaseUrl ? 'postgres' : 'sqlite';
  const eventStore = (env.EVENT_STORE || inferred) as EventStoreKind;
  if (!['sqlite', 'postgres', 'esdb'].includes(eventStore)) {
    throw new ConfigError(`EVENT_STORE must be one of sqlite, postgres, esdb; got "${env.EVENT_STORE}"`);
  }
  if (eventStore === 'postgres' && !databaseUrl) {
    throw new ConfigError('EVENT_STORE=postgres needs DATABASE_URL (postgres://user:pass@host:5432/db)');
  }
  if (eventStore === 'esdb' && !esdbUrl) {
    throw new ConfigError('EVENT_STORE=esdb needs EVENTSTORE_CONNECTION_STRING (esdb://host:2113?tls=false)');
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${logLevel}"`);
  }
  const allowPrivate = env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? 'false';
  if (!['true', 'false'].includes(allowPrivate)) {
    throw new ConfigError(`WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false; got "${allowPrivate}"`);
  }
  return {
    port,
    dataDir: resolve(env.DATA_DIR || './data'),
    eventStore,
    eventStoreConnectionString: esdbUrl,
    databaseUrl,
    logLevel,
    webhookRetrySchedule: (env.WEBHOOK_RETRY_SCHEDULE || '5s,5m,30m,2h,5h,10h,10h')
      .split(',')
      .map((part) => parseDuration(part.trim(), 'WEBHOOK_RETRY_SCHEDULE')),
    webhookTimeoutMs: parseDuration(env.WEBHOOK_TIMEOUT || '15s', 'WEBHOOK_TIMEOUT'),
    webhookAllowPrivateNetworks: allowPrivate === 'true',
  };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "500ms", "5s", "5m", "2h", "1d" → milliseconds. */
export function parseDuration(text: string, setting: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new ConfigError(`${setting}: "${text}" is not a duration like 500ms, 5s, 5m, 2h`);
  return Number(match[1]) * UNIT_MS[match[2]];
}
