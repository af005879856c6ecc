import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, ConfigError } from '../config/app-config';
import { EventStore } from '../event-store/event-store.port';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { ReadDb } from '../read-db/read-db.port';
import { READ_DB_SCHEMA } from '../read-db/read-db.schema';
import { SqliteReadDb } from '../read-db/sqlite-read-db';

/**
 * Opens the configured event store. Server-backed adapters are loaded on demand so the
 * embedded default never pays for their clients; an unreachable server is a ConfigError
 * with the setting's name, not a stack trace.
 */
export async function openEventStore(config: AppConfig): Promise<EventStore> {
  switch (config.eventStore) {
    case 'sqlite':
      mkdirSync(config.dataDir, { recursive: true });
      return new SqliteEventStore(join(config.dataDir, 'events.sqlite'));
    case 'postgres': {
      const { PostgresEventStore } = await import('../event-store/postgres/postgres-event-store');
      return connectOrExplain(() => PostgresEventStore.connect(config.databaseUrl!), 'DATABASE_URL');
    }
    case 'esdb': {
      const { EsdbEventStore } = await import('../event-store/esdb/esdb-event-store');
      return connectOrExplain(
        () => EsdbEventStore.connect(config.eventStoreConnectionString!),
        'EVENTSTORE_CONNECTION_STRING',
      );
    }
  }
}

/** Read models go to PostgreSQL when DATABASE_URL is set, else to SQLite in DATA_DIR. */
export async function openReadDb(config: AppConfig): Promise<ReadDb> {
  let db: ReadDb;
  if (config.databaseUrl) {
    const { PostgresReadDb } = await import('../read-db/postgres-read-db');
    db = await connectOrExplain(() => PostgresReadDb.connect(config.databaseUrl!), 'DATABASE_URL');
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    db = new SqliteReadDb(join(config.dataDir, 'read.sqlite'));
  }
  await db.exec(READ_DB_SCHEMA);
  return db;
}

async function connectOrExplain<T>(connect: () => Promise<T>, setting: string): Promise<T> {
  try {
    return await connect();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`Cannot reach the server named by ${setting}: ${(error as Error).message}`);
  }
}
