import { CustomerCodec } from '../../src/customers/customer.codec';
import { customerDecider } from '../../src/customers/customer.decider';
import { customerStream } from '../../src/customers/customer.events';
import { EventCodecs } from '../../src/shared/event-store/event-codec';
import { EVENT_STORE } from '../../src/shared/event-store/event-store.port';
import { StreamCommandExecutor } from '../../src/shared/event-store/stream-command.executor';
import { CheckpointStore } from '../../src/shared/projections/checkpoint.store';
import { Projection } from '../../src/shared/projections/projection';
import { ProjectionRebuild } from '../../src/shared/projections/projection-rebuild';
import { PROJECTIONS } from '../../src/shared/projections/projection-runner';
import { READ_DB, ReadDb } from '../../src/shared/read-db/read-db.port';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * SPEC §8 erasure when things go wrong or get rebuilt: a DELETE cut off after its append is
 * finished by the retry, and what an erasure leaves in the read models is what a rebuild from
 * the crypto-shredded log writes (see src/shared/erasure/subject-erasure.ts).
 */
describe('customer erasure: crash recovery and rebuilds', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const createCustomer = async (full_name: string) =>
    (await t.api('POST', '/v1/customers', { body: { full_name, email: `${full_name.split(' ')[0].toLowerCase()}@example.org` } })).body;

  it('a DELETE cut off between its append and the erasure is completed by the retry', async () => {
    const c = await createCustomer('Rowan Tamsin Ellery');
    // What a crash right after the append leaves: CustomerDeleted in the log, the key intact.
    await t.app.get(StreamCommandExecutor).execute({
      streamName: customerStream(c.id),
      decider: customerDecider,
      codec: t.app.get(CustomerCodec),
      metadata: {},
      command: () => ({ type: 'DeleteCustomer', data: { now: new Date() } }),
    });
    expect((await t.api('GET', `/v1/customers/${c.id}`)).status).toBe(404);
    const unerased = (await t.api('GET', `/v1/events?resource_id=${c.id}&type=customer.created`)).body.data[0];
    expect(unerased.data.object.full_name).toBe('Rowan Tamsin Ellery');

    const retry = await t.api('DELETE', `/v1/customers/${c.id}`);
    expect([retry.status, retry.body]).toEqual([200, { id: c.id, object: 'customer', deleted: true }]);
    expect((await t.api('GET', `/v1/events/${unerased.id}`)).body.data.object).toMatchObject({ full_name: null, email: null });
    expect((await t.api('DELETE', `/v1/customers/${c.id}`)).status).toBe(404);
  });

  it('leaves exactly the rows a rebuild from the crypto-shredded log writes, also in a rebuild under way', async () => {
    const db = t.app.get<ReadDb>(READ_DB);
    const rebuild = new ProjectionRebuild(t.app.get(EVENT_STORE), db, t.app.get(EventCodecs), t.app.get(CheckpointStore));
    const projections = t.app.get<Projection[]>(PROJECTIONS).filter((p) => p.personalData);
    expect(projections.map((p) => p.table).sort()).toEqual(['rm_customers', 'rm_events', 'rm_rentals']);
    const rows = (table: string) => db.all(`SELECT * FROM ${table} ORDER BY id`);

    const kept = await createCustomer('Linnea Castellanos');
    const erased = await createCustomer('Ivo Brannigan-Okafor');
    for (const customer of [kept, erased]) {
      const body = { customer_id: customer.id, vehicle_id: `veh-${customer.id}`, pickup_type: 'delivery', delivery_location: `${customer.full_name}, 9 Elm Row` };
      const rental = (await t.api('POST', '/v1/rentals', { body })).body;
      await t.api('PATCH', `/v1/rentals/${rental.id}`, { body: { metadata: { door: `${customer.full_name} door` } } });
      await t.api('PATCH', `/v1/customers/${customer.id}`, { body: { notes: `${customer.full_name} notes` } });
    }
    // A rebuild stopped half-way, its side tables filled while the key still existed.
    for (const projection of projections) await rebuild.build(projection);
    expect(JSON.stringify(await rows('rm_events__rebuild'))).toContain('Ivo Brannigan-Okafor');

    expect((await t.api('DELETE', `/v1/customers/${erased.id}`)).status).toBe(200);
    for (const projection of projections) {
      const side = await rows(`${projection.table}__rebuild`);
      expect(JSON.stringify(side)).not.toContain('Ivo Brannigan-Okafor');
      expect(JSON.stringify(side)).toContain('Linnea Castellanos');
      await rebuild.build(projection);
      expect([projection.name, await rows(`${projection.table}__rebuild`)]).toEqual([projection.name, await rows(projection.table)]);
    }
  });
});
