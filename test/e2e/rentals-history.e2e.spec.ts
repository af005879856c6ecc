import { startTestApp, TestApp } from '../support/test-app';

/** SPEC §4, §7, §9: a rental's history, its past states, and its public events. */
describe('Rental history, point-in-time reads and public events', () => {
  let t: TestApp;
  let rental: Record<string, any>;
  const versions: Array<Record<string, any>> = [];
  beforeAll(async () => {
    t = await startTestApp();
    const customer = (await t.api('POST', '/v1/customers', { body: { full_name: 'Ada' } })).body;
    const created = await t.api('POST', '/v1/rentals', {
      body: { customer_id: customer.id, vehicle_id: 'van-1', start_date: '2027-01-10', end_date: '2027-01-12', final_price: 120.5 },
    });
    rental = created.body;
    versions.push(created.body);
    for (const body of [{ status: 'APPROVED' }, { final_price: 99.99 }, { status: 'ACTIVE' }, { status: 'COMPLETED', damage_at_return: true }]) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      versions.push((await t.api('PATCH', `/v1/rentals/${rental.id}`, { body })).body);
    }
  });
  afterAll(() => t.close());

  it('lists every change in order with version, type, actor, request id and changed fields', async () => {
    const res = await t.api('GET', `/v1/rentals/${rental.id}/history`);
    expect(res.status).toBe(200);
    const types = res.body.data.map((e: { type: string }) => e.type);
    // The completing PATCH also set damage_at_return: one request, one event.
    expect(types).toEqual(['RentalCreated', 'RentalStatusChanged', 'RentalUpdated', 'RentalStatusChanged', 'RentalStatusChanged']);
    expect(res.body.data.map((e: { version: number }) => e.version)).toEqual([1, 2, 3, 4, 5]);
    expect(res.body.data[0]).toMatchObject({ actor: t.keyIds.test });
    expect(res.body.data[0].request_id).toMatch(/^req_/);
    expect(JSON.stringify(res.body.data[2])).toContain('99.99');
  });

  it('returns the rental as it was at a version or a time, and 404 before it existed', async () => {
    const v2 = await t.api('GET', `/v1/rentals/${rental.id}?version=2`);
    expect(v2.body).toMatchObject({ status: 'APPROVED', final_price: 120.5, version: 2 });
    const atApproval = await t.api('GET', `/v1/rentals/${rental.id}?as_of=${encodeURIComponent(versions[1].updated_at)}`);
    expect(atApproval.body).toMatchObject({ status: 'APPROVED', final_price: 120.5 });
    const before = await t.api('GET', `/v1/rentals/${rental.id}?as_of=2020-01-01T00:00:00.000Z`);
    expect(before.status).toBe(404);
    expect((await t.api('GET', `/v1/rentals/${rental.id}?version=0`)).status).toBe(400);
    expect((await t.api('GET', `/v1/rentals/${rental.id}?version=1`, { key: t.keys.other })).status).toBe(404);
  });

  it('publishes rental.created, rental.updated and rental.completed with the rental as it was', async () => {
    const res = await t.api('GET', `/v1/events?resource_id=${rental.id}&limit=100`);
    const types = res.body.data.map((e: { type: string }) => e.type).reverse();
    // SPEC §9: the PATCH to COMPLETED that also records damage is a rental.completed only.
    expect(types).toEqual(['rental.created', 'rental.updated', 'rental.updated', 'rental.updated', 'rental.completed']);
    const completed = res.body.data[0];
    expect(completed.data.object).toMatchObject({ id: rental.id, status: 'COMPLETED', damage_at_return: true, version: 5 });
    expect(completed.data.previous_attributes).toEqual(expect.objectContaining({ status: 'ACTIVE', damage_at_return: false }));
  });

  it('publishes rental.cancelled for a cancellation', async () => {
    const customer = (await t.api('POST', '/v1/customers', { body: { full_name: 'Bo' } })).body;
    const r = (await t.api('POST', '/v1/rentals', { body: { customer_id: customer.id, vehicle_id: 'van-2' } })).body;
    await t.api('PATCH', `/v1/rentals/${r.id}`, { body: { status: 'CANCELLED' } });
    const res = await t.api('GET', `/v1/events?resource_id=${r.id}&type=rental.cancelled`);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0].data.object.status).toBe('CANCELLED');
  });
});
