import { bookingIdStream } from '../../src/rentals/booking-id.reservation';
import { AccountsRepository } from '../../src/shared/auth/accounts.repository';
import { EVENT_STORE, EventStore } from '../../src/shared/event-store/event-store.port';
import { RentalUnits } from '../../src/usage/rental-units';
import { usageStream } from '../../src/usage/usage.events';
import { startTestApp, TestApp } from '../support/test-app';

/** SPEC §6: each rental created for a customer with a plan uses 1 unit. */
describe('Rentals and usage', () => {
  let t: TestApp;
  let store: EventStore;
  beforeAll(async () => {
    t = await startTestApp();
    store = t.app.get(EVENT_STORE);
  });
  afterAll(() => t.close());

  const planWith = async (monthly_quota: number) => (await t.api('POST', '/v1/plans', { body: { name: 'Rentals', monthly_quota } })).body.id;
  const customer = async (body: Record<string, unknown> = {}) =>
    (await t.api('POST', '/v1/customers', { body: { full_name: 'Driver', ...body } })).body.id as string;
  const rent = (customerId: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    t.api('POST', '/v1/rentals', { body: { customer_id: customerId, vehicle_id: 'car-1', ...body }, headers });
  const used = async (id: string) => (await t.api('GET', `/v1/customers/${id}/usage`)).body.current.used;
  const rentalsOf = async (id: string) => (await t.api('GET', `/v1/customers/${id}/rentals?limit=100`)).body.data;

  it('uses one unit per rental, and answers 402 quota_exceeded at the quota without creating the rental', async () => {
    const id = await customer({ plan_id: await planWith(2) });
    expect((await rent(id)).status).toBe(201);
    expect((await rent(id)).status).toBe(201);
    expect(await used(id)).toBe(2);
    const refused = await rent(id);
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ type: 'payment_required', code: 'quota_exceeded' });
    expect(await rentalsOf(id)).toHaveLength(2);
    expect(await used(id)).toBe(2);
  });

  it('does not limit the rentals of a customer without a plan, and records nothing for them', async () => {
    const id = await customer();
    for (let i = 0; i < 3; i++) expect((await rent(id, { vehicle_id: `free-${i}` })).status).toBe(201);
    expect(await store.readStream(usageStream(id))).toEqual([]);
    expect((await t.api('GET', `/v1/customers/${id}/usage`)).body.current).toEqual({ used: 0, limit: 0, remaining: 0, ok: false });
    // ...while a plain usage call without a plan is refused.
    expect((await t.api('POST', `/v1/customers/${id}/usage`, { body: { quantity: 1 } })).body.error.code).toBe('no_plan');
  });

  it('gives the unit back when the rental fails after the unit was taken', async () => {
    const id = await customer({ plan_id: await planWith(5) });
    const dates = { vehicle_id: 'van-1', status: 'APPROVED', start_date: '2026-09-01', end_date: '2026-09-05' };
    expect((await rent(id, dates)).status).toBe(201);
    const taken = await rent(id, dates);
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('vehicle_unavailable');
    expect(await used(id)).toBe(1);
    expect(await rentalsOf(id)).toHaveLength(1);
    const types = (await store.readStream(usageStream(id))).map((e) => e.type);
    expect(types).toEqual(['QuotaTermsChanged', 'UsageRecorded', 'UsageRecorded', 'UsageReleased']);
  });

  it('does not charge again for a repeated booking_id or a replayed Idempotency-Key', async () => {
    const id = await customer({ plan_id: await planWith(5) });
    const first = await rent(id, { booking_id: 'BK-USAGE-1' });
    const again = await rent(id, { booking_id: 'BK-USAGE-1' });
    expect([first.status, again.status]).toEqual([201, 200]);
    const keyed = { 'idempotency-key': 'rental-usage-key' };
    expect((await rent(id, { vehicle_id: 'car-2' }, keyed)).status).toBe(201);
    expect((await rent(id, { vehicle_id: 'car-2' }, keyed)).headers.get('idempotent-replayed')).toBe('true');
    expect(await used(id)).toBe(2);
  });

  it('does not charge a rental created before its customer had a plan when its booking_id comes again', async () => {
    const id = await customer();
    expect((await rent(id, { booking_id: 'BK-BEFORE-PLAN' })).status).toBe(201);
    await t.api('PATCH', `/v1/customers/${id}`, { body: { plan_id: await planWith(5) } });
    expect((await rent(id, { booking_id: 'BK-BEFORE-PLAN' })).status).toBe(200);
    expect(await used(id)).toBe(0);
  });

  it('completes a create cut off between its unit and its rental, on retry, without a second unit', async () => {
    const id = await customer({ plan_id: await planWith(5) });
    const { accountId } = (await t.app.get(AccountsRepository).findBySecret(t.keys.test))!;
    const rentalId = 're_cutOffBetweenSteps1';
    // What the crashed first attempt left: its booking_id reserved and its unit taken.
    await store.appendToStream(
      bookingIdStream(accountId, false, 'BK-CRASHED'),
      [{ type: 'BookingIdReserved', schemaVersion: 1, data: { rental_id: rentalId, account_id: accountId, livemode: false } }],
      { expectedRevision: 'no_stream' },
    );
    await t.app.get(RentalUnits).take({ accountId, livemode: false, customerId: id, rentalId, metadata: {} });
    expect(await used(id)).toBe(1);
    expect(await rentalsOf(id)).toHaveLength(0);

    const retry = await rent(id, { booking_id: 'BK-CRASHED' });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(rentalId);
    expect(await used(id)).toBe(1);
  });

  it('refuses a rental of a PAUSED customer as before (400 customer_inactive), taking no unit', async () => {
    const id = await customer({ plan_id: await planWith(5) });
    await t.api('PATCH', `/v1/customers/${id}`, { body: { status: 'PAUSED' } });
    const res = await rent(id);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('customer_inactive');
    expect(await used(id)).toBe(0);
  });
});
