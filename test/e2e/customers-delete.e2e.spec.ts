import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { READ_DB, ReadDb } from '../../src/shared/read-db/read-db.port';
import { startTestApp, TEST_STORE, TestApp } from '../support/test-app';
import { eventually, WEBHOOK_TEST_ENV, WebhookReceiver } from '../support/webhook-receiver';

/** Distinctive values, so a match anywhere can only be this customer's data. */
const CREATED = {
  full_name: 'Ottoline Vashti-Grunewald',
  email: 'ottoline.vg.4417@example.org',
  phone: '+14155554417',
  metadata: { loyalty_code: 'Cinnabar-Lynx-8820', licence: 'DL-VG-55120-OT' },
};
const PATCHED = {
  full_name: 'Ottoline V. Grunewald-Adeyemi',
  email: 'o.adeyemi.9063@example.net',
  phone: '+447700909063',
  notes: 'Asks for the mint hatchback, no pollen filters 7719',
  metadata: { loyalty_code: 'Saffron-Egret-3391', next_of_kin: 'Adeyemi Folasade 0161-496-0772' },
};
const DELIVERY = { first: '17 Quillfeather Lane, Bramwick BW4 7QX', second: '4 Tansy Row, Orlestone OR9 2LD' };
const RENTAL_METADATA = { gate_code: 'Gate-6624-Heliotrope' };
const PLAINTEXTS = [
  ...[CREATED, PATCHED].flatMap((v) => [v.full_name, v.email, v.phone, ...Object.values(v.metadata)]),
  PATCHED.notes,
  DELIVERY.first,
  DELIVERY.second,
  RENTAL_METADATA.gate_code,
];
const EXTERNAL_ID = 'crm-erasure-1';

describe('DELETE /v1/customers/{id}: erasure (SPEC §3, §8)', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let endpointId: string;
  let customerId: string;
  let rentalId: string;
  let deleted: { status: number; body: unknown; headers: Headers };
  let foundBefore: string[];
  const createRequest = { body: { ...CREATED, external_id: EXTERNAL_ID }, headers: { 'idempotency-key': 'create-ottoline' } };
  const db = () => t.app.get<ReadDb>(READ_DB);

  beforeAll(async () => {
    t = await startTestApp(WEBHOOK_TEST_ENV);
    receiver = await new WebhookReceiver().start();
    // A receiver that echoes what it gets: its answers, kept as excerpts, hold personal data too.
    receiver.respond = (event) => ({ status: 200, body: JSON.stringify(event) });
    endpointId = (await t.api('POST', '/v1/webhook_endpoints', { body: { url: receiver.url, enabled_events: ['*'] } })).body.id;

    const created = await t.api('POST', '/v1/customers', createRequest);
    expect(created.status).toBe(201);
    customerId = created.body.id;
    const rental = await t.api('POST', '/v1/rentals', {
      body: { customer_id: customerId, vehicle_id: 'veh-erasure', pickup_type: 'delivery', delivery_location: DELIVERY.first, metadata: RENTAL_METADATA },
    });
    expect(rental.status).toBe(201);
    rentalId = rental.body.id;
    expect((await t.api('PATCH', `/v1/rentals/${rentalId}`, { body: { delivery_location: DELIVERY.second } })).status).toBe(200);
    expect((await t.api('PATCH', `/v1/customers/${customerId}`, { body: PATCHED })).status).toBe(200);
    // Every delivery so far answered (and its echo recorded) before the erasure runs.
    await eventually(() => receiver.accepted().length >= 4, 10_000, 'the first four deliveries');
    // The receiver answers before the dispatcher records the attempt: wait for the records too.
    await eventually(async () => {
      const data = (await t.api('GET', `/v1/webhook_endpoints/${endpointId}/deliveries?limit=100`)).body.data;
      return data.filter((d: { status: string }) => d.status === 'succeeded').length >= 4;
    }, 10_000, 'the first four deliveries recorded');
    foundBefore = await personalValuesInTables();

    deleted = await t.api('DELETE', `/v1/customers/${customerId}`, { headers: { 'idempotency-key': 'delete-ottoline' } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  /** Every personal value found in any table of the database (read models, outbox, and on PostgreSQL the log). */
  async function personalValuesInTables(): Promise<string[]> {
    const tables =
      db().dialect === 'postgres'
        ? await db().all<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")
        : await db().all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
    let text = '';
    for (const { name } of tables) text += JSON.stringify(await db().all(`SELECT * FROM ${name}`));
    return PLAINTEXTS.filter((value) => text.includes(value));
  }

  it('answers {id, object: "customer", deleted: true}, and replays that for its Idempotency-Key', async () => {
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: customerId, object: 'customer', deleted: true });
    const again = await t.api('DELETE', `/v1/customers/${customerId}`, { headers: { 'idempotency-key': 'delete-ottoline' } });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(deleted.body);
  });

  it('afterwards the customer is a 404 to GET, PATCH, as_of, version, history, rentals and usage', async () => {
    const paths = ['', '?version=1', `?as_of=${encodeURIComponent(new Date().toISOString())}`, '/history', '/rentals', '/usage'];
    for (const path of paths) {
      const res = await t.api('GET', `/v1/customers/${customerId}${path}`);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 404, 'resource_missing']);
    }
    expect((await t.api('PATCH', `/v1/customers/${customerId}`, { body: { notes: 'back?' } })).status).toBe(404);
    expect((await t.api('POST', `/v1/customers/${customerId}/usage`, { body: { quantity: 1 } })).status).toBe(404);
  });

  it('is gone from the list and from every filter that found it', async () => {
    const ids = async (query: string) => (await t.api('GET', `/v1/customers${query}`)).body.data.map((c: { id: string }) => c.id);
    expect(await ids('?limit=100')).not.toContain(customerId);
    expect(await ids(`?email=${encodeURIComponent(PATCHED.email)}`)).toEqual([]);
    expect(await ids(`?external_id=${EXTERNAL_ID}`)).toEqual([]);
  });

  it('a second DELETE is a 404, also with If-Match', async () => {
    expect((await t.api('DELETE', `/v1/customers/${customerId}`)).status).toBe(404);
    expect((await t.api('DELETE', `/v1/customers/${customerId}`, { headers: { 'if-match': '"3"' } })).status).toBe(404);
  });

  it('keeps the events, with every personal value erased, and publishes customer.deleted', async () => {
    const events = (await t.api('GET', `/v1/events?resource_id=${customerId}`)).body.data;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['customer.deleted', 'customer.updated', 'customer.created']);
    expect(events[0].data).toEqual({ object: { id: customerId, object: 'customer', deleted: true }, previous_attributes: {} });
    for (const event of events.slice(1)) {
      expect(event.data.object).toMatchObject({ full_name: null, email: null, phone: null, notes: null, external_id: EXTERNAL_ID });
      expect(Object.values(event.data.object.metadata).every((v) => v === null)).toBe(true);
    }
    const rentalEvents = (await t.api('GET', `/v1/events?resource_id=${rentalId}`)).body.data;
    expect(rentalEvents).toHaveLength(2);
    for (const event of rentalEvents) expect(event.data.object).toMatchObject({ delivery_location: null, metadata: { gate_code: null } });
    expect((await t.api('GET', `/v1/events/${events[2].id}`)).body).toEqual(events[2]);
  });

  it('keeps the rental without its personal values; new ones for it are a 409, other changes go through', async () => {
    const rental = (await t.api('GET', `/v1/rentals/${rentalId}`)).body;
    expect(rental).toMatchObject({ customer_id: customerId, pickup_type: 'delivery', delivery_location: null, metadata: { gate_code: null } });
    const history = (await t.api('GET', `/v1/rentals/${rentalId}/history`)).body.data;
    expect(JSON.stringify(history)).not.toContain(DELIVERY.first);
    const refused = await t.api('PATCH', `/v1/rentals/${rentalId}`, { body: { delivery_location: '1 New Street' } });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'customer_deleted']);
    const cancelled = await t.api('PATCH', `/v1/rentals/${rentalId}`, { body: { status: 'CANCELLED' } });
    expect([cancelled.status, cancelled.body.status, cancelled.body.delivery_location]).toEqual([200, 'CANCELLED', null]);
    const newRental = await t.api('POST', '/v1/rentals', { body: { customer_id: customerId, vehicle_id: 'veh-2' } });
    expect([newRental.status, newRental.body.error.param]).toEqual([400, 'customer_id']);
  });

  it("a retried create with the customer's Idempotency-Key replays nothing and creates nothing", async () => {
    const retried = await t.api('POST', '/v1/customers', createRequest);
    expect([retried.status, retried.body.error?.code]).toEqual([409, 'resource_deleted']);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(JSON.stringify(retried.body)).not.toContain(CREATED.full_name);
  });

  it('frees the external_id: a new POST with it creates a new customer', async () => {
    const fresh = await t.api('POST', '/v1/customers', { body: { full_name: 'Someone Else', external_id: EXTERNAL_ID } });
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(customerId);
    const upsert = await t.api('POST', '/v1/customers', { body: { preferred_language: 'de', external_id: EXTERNAL_ID } });
    expect([upsert.status, upsert.body.id]).toEqual([200, fresh.body.id]);
  });

  it('delivers customer.deleted to webhook endpoints, and clears what receivers answered about the customer', async () => {
    const [got] = await eventually(() => receiver.accepted('customer.deleted'), 10_000, 'customer.deleted');
    expect(got.event.data.object).toEqual({ id: customerId, object: 'customer', deleted: true });
    expect(got.headers['webhook-id']).toBe(got.event.id);
    const deliveries = (await t.api('GET', `/v1/webhook_endpoints/${endpointId}/deliveries?limit=100`)).body.data;
    const about = deliveries.filter((d: { resource_id: string }) => [customerId, rentalId].includes(d.resource_id));
    const before = about.filter((d: { event_type: string }) => d.event_type !== 'customer.deleted' && d.event_type !== 'rental.cancelled');
    expect(before).toHaveLength(4);
    for (const d of before) expect(d.attempts.map((a: { response_excerpt: unknown }) => a.response_excerpt)).toEqual([null]);
    expect(PLAINTEXTS.filter((v) => JSON.stringify(deliveries).includes(v))).toEqual([]);
  });

  it('leaves none of the personal values in any table of the database', async () => {
    // The values were there before: a scan of the wrong tables could not pass.
    expect(foundBefore).toEqual(expect.arrayContaining([PATCHED.full_name, PATCHED.email, DELIVERY.second, PATCHED.notes]));
    expect(await personalValuesInTables()).toEqual([]);
  });

  // The files are SQLite's; on PostgreSQL the table scan above is the check.
  if (TEST_STORE === 'sqlite') {
    it('leaves none of them in the SQLite files or their WALs', () => {
      // No checkpoint forced here: the erasure itself zeroes deleted rows (secure_delete) and
      // empties the read database's WAL; this reads the files exactly as the service left them.
      const files = ['events.sqlite', 'events.sqlite-wal', 'read.sqlite', 'read.sqlite-wal'].map((f) => join(t.dataDir, f));
      const bytes = Buffer.concat(files.filter((f) => existsSync(f)).map((f) => readFileSync(f)));
      expect(bytes.includes(customerId)).toBe(true);
      expect(PLAINTEXTS.filter((value) => bytes.includes(value))).toEqual([]);
    });
  }

  describe('for a customer that is not erased yet', () => {
    const create = async () => (await t.api('POST', '/v1/customers', { body: { full_name: 'Rowan Tamsin Ellery', email: 'rte@example.org' } })).body;

    it("another account's DELETE is a 404 and changes nothing", async () => {
      const c = await create();
      const res = await t.api('DELETE', `/v1/customers/${c.id}`, { key: t.keys.other });
      expect([res.status, res.body.error.code]).toEqual([404, 'resource_missing']);
      expect((await t.api('DELETE', `/v1/customers/${c.id}`, { key: t.keys.live })).status).toBe(404);
      expect((await t.api('DELETE', `/v1/customers/${c.id}`, { key: t.keys.testRead })).status).toBe(403);
      expect((await t.api('GET', `/v1/customers/${c.id}`)).body).toMatchObject({ full_name: 'Rowan Tamsin Ellery', version: 1 });
    });

    it('a stale If-Match is a 412 and deletes nothing; the current one deletes', async () => {
      const c = await create();
      await t.api('PATCH', `/v1/customers/${c.id}`, { body: { notes: 'v2' } });
      const stale = await t.api('DELETE', `/v1/customers/${c.id}`, { headers: { 'if-match': '"1"' } });
      expect([stale.status, stale.body.error.type]).toEqual([412, 'precondition_failed']);
      expect((await t.api('GET', `/v1/customers/${c.id}`)).body).toMatchObject({ full_name: 'Rowan Tamsin Ellery', version: 2 });
      expect((await t.api('DELETE', `/v1/customers/${c.id}`, { headers: { 'if-match': '"2"' } })).status).toBe(200);
    });
  });
});
