import { Client } from 'pg';
import { EventStore } from '../../src/shared/event-store/event-store.port';
import { PostgresEventStore } from '../../src/shared/event-store/postgres/postgres-event-store';
import { appendQuery } from '../../src/shared/event-store/postgres/postgres-event-store.schema';
import { describePostgres } from '../support/postgres';
import { describeEventStoreContract } from './event-store.contract';

describePostgres('PostgreSQL', (db) => {
  describeEventStoreContract('PostgreSQL', async () => {
    // Each test gets its own schema, so "an empty log" really is empty.
    const url = await db.freshSchemaUrl();
    let store: EventStore = await PostgresEventStore.connect(url);
    const held = new Set<Client>();
    return {
      store,
      async reopen() {
        await store.close();
        store = await PostgresEventStore.connect(url);
        return store;
      },
      // The adapter's own append statement, left uncommitted on a separate connection.
      async holdAppend(stream, event) {
        const client = new Client({ connectionString: url });
        await client.connect();
        held.add(client);
        await client.query('BEGIN');
        await client.query(appendQuery(stream, [event], 'any'));
        return {
          async release() {
            await client.query('COMMIT');
            await client.end();
            held.delete(client);
          },
        };
      },
      async cleanup() {
        await Promise.all([...held].map((client) => client.end()));
        await store.close();
      },
    };
  });

  it('connect names DATABASE_URL, without the password, when the server cannot be reached', async () => {
    const error: Error = await PostgresEventStore.connect('postgres://renvo:secret@127.0.0.1:1/none').catch((e) => e);
    expect(error.message).toMatch(/DATABASE_URL/);
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).not.toContain('secret');
  });
});
