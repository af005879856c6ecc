import { EVENT_STORE, EventStore } from '../../src/shared/event-store/event-store.port';
import { startTestApp, TestApp } from '../support/test-app';

describe('Rentals API', () => {
  let t: TestApp;
  let customerId: string;
  let vehicles = 0;
  const vehicle = () => `car-${++vehicles}`;

  beforeAll(async () => {
    t = await startTestApp();
    customerId = (await t.api('POST', '/v1/customers', { body: { full_name: 'Renter One' } })).body.id;
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, key?: string) =>
    t.api('POST', '/v1/rentals', { body: { customer_id: customerId, vehicle_id: vehicle(), ...body }, key });
  const patch = (id: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    t.api('PATCH', `/v1/rentals/${id}`, { body, headers });

  describe('create and retrieve', () => {
    it('creates a NEW pickup rental with nights counted, an exact price, a version and an ETag', async () => {
      const res = await create({ start_date: '2026-02-27', end_date: '2026-03-02', final_price: 199.99, booking_id: 'BK-1' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        object: 'rental',
        booking_id: 'BK-1',
        customer_id: customerId,
        start_date: '2026-02-27',
        end_date: '2026-03-02',
        rental_days: 3,
        pickup_type: 'pickup',
        delivery_location: null,
        final_price: 199.99,
        status: 'NEW',
        damage_at_return: false,
        metadata: {},
        version: 1,
        livemode: false,
      });
      expect(res.body.id).toMatch(/^re_/);
      expect(res.headers.get('etag')).toBe('"1"');
      const got = await t.api('GET', `/v1/rentals/${res.body.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it.each([0, 0.1, 19.99, 1234567.89, 42])('keeps the price %p exact through events and read model', async (price) => {
      const res = await create({ final_price: price });
      expect(res.body.final_price).toBe(price);
      expect((await t.api('GET', `/v1/rentals/${res.body.id}`)).body.final_price).toBe(price);
    });

    it('takes a delivery with its location, a same-day rental, and any status (history sync)', async () => {
      const delivery = await create({ pickup_type: 'delivery', delivery_location: 'Harbour Rd 7', start_date: '2026-05-01', end_date: '2026-05-01' });
      expect(delivery.body).toMatchObject({ pickup_type: 'delivery', delivery_location: 'Harbour Rd 7', rental_days: 0 });
      const old = await create({ status: 'COMPLETED', start_date: '2025-01-01', end_date: '2025-01-04', damage_at_return: true });
      expect(old.status).toBe(201);
      expect(old.body).toMatchObject({ status: 'COMPLETED', damage_at_return: true });
    });

    it('encrypts delivery_location and metadata values with the customer key in the events', async () => {
      const res = await create({ pickup_type: 'delivery', delivery_location: 'Quarry Lane 4471', metadata: { gate: 'code 9931' } });
      const [event] = await t.app.get<EventStore>(EVENT_STORE).readStream(`rental-${res.body.id}`);
      const stored = JSON.stringify(event.data);
      expect(stored).not.toContain('Quarry Lane 4471');
      expect(stored).not.toContain('code 9931');
      expect(event.data.delivery_location).toMatch(/^enc:v1:/);
      expect(res.body).toMatchObject({ delivery_location: 'Quarry Lane 4471', metadata: { gate: 'code 9931' } });
    });

    it.each([
      ['a date that does not exist', { start_date: '2026-02-30', end_date: '2026-03-02' }, 'start_date'],
      ['month 13', { start_date: '2026-01-01', end_date: '2026-13-01' }, 'end_date'],
      ['a date not as YYYY-MM-DD', { start_date: '2026-4-1', end_date: '2026-04-02' }, 'start_date'],
      ['an end before the start', { start_date: '2026-04-05', end_date: '2026-04-01' }, 'end_date'],
      ['a start without an end', { start_date: '2026-04-05' }, 'end_date'],
      ['an unknown pickup_type', { pickup_type: 'drone' }, 'pickup_type'],
      ['a delivery without a location', { pickup_type: 'delivery' }, 'delivery_location'],
      ['a negative price', { final_price: -1 }, 'final_price'],
      ['a price with 3 decimals', { final_price: 10.005 }, 'final_price'],
      ['a price as a string', { final_price: '10.00' }, 'final_price'],
      ['an unknown status', { status: 'LOST' }, 'status'],
      ['an APPROVED rental without dates', { status: 'APPROVED' }, 'start_date'],
      ['no vehicle_id', { vehicle_id: undefined }, 'vehicle_id'],
      ['no customer_id', { customer_id: undefined }, 'customer_id'],
      ['an unknown field', { colour: 'red' }, 'colour'],
    ])('rejects %s with a 400 naming the param, creating nothing', async (_label, body, param) => {
      const before = await t.api('GET', '/v1/rentals?limit=100');
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
      expect((await t.api('GET', '/v1/rentals?limit=100')).body.data.length).toBe(before.body.data.length);
    });

    it('refuses a customer that is missing, of another account, paused or archived (400 on customer_id)', async () => {
      const missing = await create({ customer_id: 'cu_nope' });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param: 'customer_id' });
      const foreign = await t.api('POST', '/v1/rentals', { key: t.keys.other, body: { customer_id: customerId, vehicle_id: 'v' } });
      expect(foreign.body.error).toMatchObject({ code: 'resource_missing', param: 'customer_id' });
      const paused = (await t.api('POST', '/v1/customers', { body: { full_name: 'P' } })).body.id;
      await t.api('PATCH', `/v1/customers/${paused}`, { body: { status: 'PAUSED' } });
      expect((await create({ customer_id: paused })).body.error).toMatchObject({ code: 'customer_inactive', param: 'customer_id' });
      const archived = (await t.api('POST', '/v1/customers', { body: { full_name: 'A' } })).body.id;
      await t.api('PATCH', `/v1/customers/${archived}`, { body: { archived: true } });
      expect((await create({ customer_id: archived })).body.error).toMatchObject({ code: 'customer_archived', param: 'customer_id' });
    });

    it('returns the existing rental (200) for a booking_id already used, unchanged', async () => {
      const first = await create({ booking_id: 'BK-dup', final_price: 10 });
      const again = await create({ booking_id: 'BK-dup', final_price: 99 });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      // Unique per account and mode only.
      const live = await t.api('POST', '/v1/customers', { key: t.keys.live, body: { full_name: 'Live' } });
      const other = await t.api('POST', '/v1/rentals', { key: t.keys.live, body: { customer_id: live.body.id, vehicle_id: 'v', booking_id: 'BK-dup' } });
      expect(other.status).toBe(201);
    });
  });

  describe('status and changes', () => {
    it('walks NEW → APPROVED → ACTIVE → COMPLETED, then refuses everything as final', async () => {
      const { body } = await create({ start_date: '2026-06-01', end_date: '2026-06-03' });
      for (const [status, version] of [['APPROVED', 2], ['ACTIVE', 3], ['COMPLETED', 4]] as const) {
        const res = await patch(body.id, { status });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status, version });
        expect(res.headers.get('etag')).toBe(`"${version}"`);
      }
      for (const status of ['NEW', 'APPROVED', 'ACTIVE', 'CANCELLED']) {
        const res = await patch(body.id, { status });
        expect(res.status).toBe(409);
        expect(res.body.error).toMatchObject({ type: 'conflict', code: 'invalid_status_transition' });
      }
    });

    it.each([
      ['NEW', 'ACTIVE'],
      ['NEW', 'COMPLETED'],
      ['CANCELLED', 'APPROVED'],
    ])('answers %s → %s with 409 invalid_status_transition', async (from, to) => {
      const { body } = await create({ status: from, start_date: '2026-06-10', end_date: '2026-06-11' });
      const res = await patch(body.id, { status: to });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('invalid_status_transition');
      expect((await t.api('GET', `/v1/rentals/${body.id}`)).body.status).toBe(from);
    });

    it('changes terms while NEW or APPROVED, not once ACTIVE (409 rental_not_editable)', async () => {
      const { body } = await create({ start_date: '2026-07-01', end_date: '2026-07-02', final_price: 50 });
      const changed = await patch(body.id, { end_date: '2026-07-05', final_price: 80.5, pickup_type: 'delivery', delivery_location: 'Dock 3' });
      expect(changed.body).toMatchObject({ end_date: '2026-07-05', rental_days: 4, final_price: 80.5, delivery_location: 'Dock 3' });
      await patch(body.id, { status: 'APPROVED' });
      expect((await patch(body.id, { start_date: '2026-07-02' })).body.rental_days).toBe(3);
      expect((await patch(body.id, { start_date: '2026-07-09' })).body.error).toMatchObject({ param: 'end_date' });
      await patch(body.id, { status: 'ACTIVE' });
      const late = await patch(body.id, { final_price: 1 });
      expect(late.status).toBe(409);
      expect(late.body.error).toMatchObject({ code: 'rental_not_editable', param: 'final_price' });
      expect((await patch(body.id, { metadata: { km: '120' } })).body.metadata).toEqual({ km: '120' });
    });

    it('refuses a stale If-Match with 412 and changes nothing; a PATCH that changes nothing appends nothing', async () => {
      const { body } = await create({});
      const stale = await patch(body.id, { status: 'CANCELLED' }, { 'if-match': '"7"' });
      expect(stale.status).toBe(412);
      expect(stale.body.error.type).toBe('precondition_failed');
      expect((await t.api('GET', `/v1/rentals/${body.id}`)).body).toEqual(body);
      const same = await patch(body.id, { status: 'NEW', pickup_type: 'pickup' }, { 'if-match': '"1"' });
      expect(same.body.version).toBe(1);
      expect((await patch(body.id, { status: 'CANCELLED' }, { 'if-match': '"1"' })).body).toMatchObject({ status: 'CANCELLED', version: 2 });
    });

    it("treats another account's or mode's rental exactly like a missing one", async () => {
      const { body } = await create({});
      for (const key of [t.keys.other, t.keys.live]) {
        expect((await t.api('GET', `/v1/rentals/${body.id}`, { key })).status).toBe(404);
        const res = await t.api('PATCH', `/v1/rentals/${body.id}`, { key, body: { status: 'CANCELLED' }, headers: { 'if-match': '"9"' } });
        expect(res.status).toBe(404);
        expect(res.body.error).toMatchObject({ type: 'not_found', code: 'resource_missing' });
      }
      expect((await t.api('GET', '/v1/rentals/re_doesnotexist')).status).toBe(404);
    });
  });
});
