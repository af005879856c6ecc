import { EventCodecs } from '../../src/shared/event-store/event-codec';
import { EVENT_STORE } from '../../src/shared/event-store/event-store.port';
import { CheckpointStore } from '../../src/shared/projections/checkpoint.store';
import { Projection } from '../../src/shared/projections/projection';
import { ProjectionRebuild } from '../../src/shared/projections/projection-rebuild';
import { PROJECTIONS } from '../../src/shared/projections/projection-runner';
import { READ_DB, ReadDb } from '../../src/shared/read-db/read-db.port';
import { mixedCustomerCommands } from '../support/mixed-commands';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * SPEC §7: read models rebuild from the log and swap in while the API keeps serving. Rebuilt
 * rows must equal the live ones exactly (every column and the JSON doc), so a rebuild is a
 * no-op on a healthy system and a repair on a damaged one.
 */
describe('rebuilding read models from the log', () => {
  let t: TestApp;
  let db: ReadDb;
  let projections: Projection[];
  let rebuild: ProjectionRebuild;
  jest.setTimeout(180_000);

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(READ_DB);
    projections = t.app.get(PROJECTIONS);
    rebuild = new ProjectionRebuild(t.app.get(EVENT_STORE), db, t.app.get(EventCodecs), t.app.get(CheckpointStore));
    await mixedCustomerCommands(t, 2500);
  });
  afterAll(() => t.close());

  const rows = (table: string) => db.all(`SELECT * FROM ${table} ORDER BY id`);

  it('builds every read model beside the live one, row for row identical, after thousands of mixed commands', async () => {
    expect(projections.map((p) => p.name)).toEqual(expect.arrayContaining(['customers', 'events']));
    for (const projection of projections) {
      const built = await rebuild.build(projection, { batchSize: 300 });
      expect(built.resumedFrom).toBe(0n);
      const live = await rows(projection.table);
      expect(await rows(`${projection.table}__rebuild`)).toEqual(live);
    }
    const customers = await rows('rm_customers');
    expect(customers.length).toBeGreaterThan(300);
    expect((await rows('rm_events')).length).toBeGreaterThan(2000);
  });

  it('swaps the rebuilt tables in while writes go on, and the live runner carries on from there', async () => {
    const writes = mixedCustomerCommands(t, 300);
    for (const projection of projections) await rebuild.run(projection, { batchSize: 200 });
    const written = await writes;

    // Everything written across the swaps is served by the swapped-in tables (read-your-writes).
    for (const customer of written.slice(-20)) {
      const got = await t.api('GET', `/v1/customers/${customer.id}`, { key: customer.key });
      expect(got.status).toBe(200);
      expect(got.body.version).toBeGreaterThanOrEqual(customer.version);
    }
    const after = await t.api('POST', '/v1/customers', { body: { full_name: 'After The Swap' } });
    const listed = await t.api('GET', `/v1/events?resource_id=${after.body.id}`);
    expect(listed.body.data.map((e: { type: string }) => e.type)).toEqual(['customer.created']);

    const status = await rebuild.status(projections);
    expect(status.every((s) => s.state === 'live' && s.lag === 0)).toBe(true);
    // What the runner kept up after the swap equals what a rebuild makes of the whole log now.
    for (const projection of projections) {
      await rebuild.build(projection, { restart: true });
      expect(await rows(`${projection.table}__rebuild`)).toEqual(await rows(projection.table));
    }
  });
});
