import { EVENT_STORE, EventStore } from '../../src/shared/event-store/event-store.port';
import { vehicleCalendarStream } from '../../src/rentals/vehicle-calendar.events';
import { startTestApp, TestApp } from '../support/test-app';

/** SPEC §4 no double booking, one request at a time, and recovery from a crash mid-write. */
describe('Vehicle calendar', () => {
  let t: TestApp;
  let customerId: string;
  let accountId: string;
  let vehicles = 0;
  const march = { start_date: '2026-03-10', end_date: '2026-03-15' };

  beforeAll(async () => {
    t = await startTestApp();
    const customer = await t.api('POST', '/v1/customers', { body: { full_name: 'Booker' } });
    customerId = customer.body.id;
    const [event] = await store().readStream(`customer-${customerId}`);
    accountId = event.metadata.account_id as string;
  });
  afterAll(() => t.close());

  const store = () => t.app.get<EventStore>(EVENT_STORE);
  const create = async (vehicle_id: string, body: Record<string, unknown> = march, key?: string) =>
    t.api('POST', '/v1/rentals', { key, body: { customer_id: customerId, vehicle_id, ...body } });
  const rental = async (vehicle_id: string, body: Record<string, unknown> = march) => (await create(vehicle_id, body)).body.id as string;
  const patch = (id: string, body: Record<string, unknown>) => t.api('PATCH', `/v1/rentals/${id}`, { body });
  const approve = (id: string) => patch(id, { status: 'APPROVED' });
  const newVehicle = () => `truck-${++vehicles}`;

  function expectUnavailable(res: { status: number; body: { error: { type: string; code: string } } }) {
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ type: 'conflict', code: 'vehicle_unavailable' });
  }

  describe('one request at a time', () => {
    it('refuses a second approval of overlapping dates, and leaves the loser unchanged', async () => {
      const v = newVehicle();
      const [a, b] = [await rental(v), await rental(v, { start_date: '2026-03-14', end_date: '2026-03-20' })];
      expect((await approve(a)).status).toBe(200);
      expectUnavailable(await approve(b));
      expect((await t.api('GET', `/v1/rentals/${b}`)).body).toMatchObject({ status: 'NEW', version: 1 });
    });

    it('counts the return day as taken: no same-day turnaround', async () => {
      const v = newVehicle();
      await approve(await rental(v));
      expectUnavailable(await approve(await rental(v, { start_date: '2026-03-15', end_date: '2026-03-16' })));
      expect((await approve(await rental(v, { start_date: '2026-03-16', end_date: '2026-03-18' }))).status).toBe(200);
    });

    it('lets other vehicles, other accounts and other modes book the same days', async () => {
      const v = newVehicle();
      await approve(await rental(v));
      expect((await approve(await rental(newVehicle()))).status).toBe(200);
      const live = (await t.api('POST', '/v1/customers', { key: t.keys.live, body: { full_name: 'L' } })).body.id;
      const res = await t.api('POST', '/v1/rentals', { key: t.keys.live, body: { customer_id: live, vehicle_id: v, status: 'APPROVED', ...march } });
      expect(res.status).toBe(201);
    });

    it('frees the days on CANCELLED and on COMPLETED', async () => {
      const v = newVehicle();
      const [a, b, c] = [await rental(v), await rental(v), await rental(v)];
      await approve(a);
      await patch(a, { status: 'CANCELLED' });
      expect((await approve(b)).status).toBe(200);
      await patch(b, { status: 'ACTIVE' });
      expectUnavailable(await approve(c));
      await patch(b, { status: 'COMPLETED' });
      expect((await approve(c)).status).toBe(200);
    });

    it('re-checks new dates of an APPROVED rental and frees the old ones once moved', async () => {
      const v = newVehicle();
      const [a, b] = [await rental(v), await rental(v, { start_date: '2026-04-01', end_date: '2026-04-03' })];
      await approve(a);
      await approve(b);
      const clash = await patch(a, { start_date: '2026-03-30', end_date: '2026-04-02' });
      expectUnavailable(clash);
      expect((await t.api('GET', `/v1/rentals/${a}`)).body).toMatchObject(march);
      expect((await patch(a, { start_date: '2026-05-01', end_date: '2026-05-02' })).status).toBe(200);
      expect((await approve(await rental(v))).status).toBe(200);
    });

    it('checks a rental created APPROVED or ACTIVE; a NEW one holds nothing', async () => {
      const v = newVehicle();
      expect((await create(v, { ...march, status: 'ACTIVE' })).status).toBe(201);
      expectUnavailable(await create(v, { ...march, status: 'APPROVED' }));
      expect((await create(v, { ...march, status: 'NEW' })).status).toBe(201);
      expect((await create(v, { ...march, status: 'COMPLETED' })).status).toBe(201);
    });
  });

  describe('after a crash between the calendar append and the rental append', () => {
    /** What a write that died after step 1 leaves behind: a hold its rental never recorded. */
    async function orphanHold(vehicle_id: string, rental_id: string, rental_revision: number, ageMs = 0) {
      const stream = vehicleCalendarStream({ accountId, livemode: false, vehicleId: vehicle_id });
      const held_at = new Date(Date.now() - ageMs).toISOString();
      await store().appendToStream(
        stream,
        [{ type: 'VehicleDatesHeld', schemaVersion: 1, data: { rental_id, rental_revision, ...march, held_at } }],
        { expectedRevision: 'any' },
      );
    }

    it('blocks others while the write may be in flight, and retrying it completes it', async () => {
      const v = newVehicle();
      const [a, b] = [await rental(v), await rental(v)];
      await orphanHold(v, a, 0);
      expectUnavailable(await approve(b));
      expect((await approve(a)).body).toMatchObject({ status: 'APPROVED', version: 2 });
      expectUnavailable(await approve(b));
    });

    it('releases a hold whose rental has moved on, as soon as another rental runs into it', async () => {
      const v = newVehicle();
      const [a, b] = [await rental(v), await rental(v)];
      await orphanHold(v, a, 0);
      await patch(a, { metadata: { note: 'edited after the crash' } });
      expect((await approve(b)).status).toBe(200);
    });

    it('fences and releases an abandoned hold after the lease, so the dead write can never land', async () => {
      const v = newVehicle();
      const [a, b] = [await rental(v), await rental(v)];
      await orphanHold(v, a, 0, 5 * 60_000);
      expect((await approve(b)).status).toBe(200);
      const events = await store().readStream(`rental-${a}`);
      expect(events.map((e) => e.type)).toEqual(['RentalCreated', 'RentalHoldLapsed']);
      expect((await t.api('GET', `/v1/rentals/${a}`)).body.status).toBe('NEW');
      expectUnavailable(await approve(a));
    });

    it('fences a rental whose creation never happened', async () => {
      const v = newVehicle();
      await orphanHold(v, 're_neverCreated1', -1, 5 * 60_000);
      expect((await approve(await rental(v))).status).toBe(200);
      expect((await t.api('GET', '/v1/rentals/re_neverCreated1')).status).toBe(404);
    });

    it('releases the days of a rental cancelled by a write that died before settling', async () => {
      const v = newVehicle();
      const a = await rental(v);
      await approve(a);
      await store().appendToStream(
        `rental-${a}`,
        [{ type: 'RentalStatusChanged', schemaVersion: 1, data: { rental_id: a, customer_id: customerId, from: 'APPROVED', to: 'CANCELLED', damage_at_return: false, changed_at: new Date().toISOString() } }],
        { expectedRevision: 1n },
      );
      expect((await approve(await rental(v))).status).toBe(200);
    });
  });
});
