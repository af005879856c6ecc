import { bookingIdStream } from '../../src/rentals/booking-id.reservation';
import { rentalStream } from '../../src/rentals/rental.events';
import { AccountsRepository } from '../../src/shared/auth/accounts.repository';
import { EVENT_STORE, EventStore } from '../../src/shared/event-store/event-store.port';
import { QuotaLedger } from '../../src/usage/quota-ledger';
import { RentalUnits, RentalUnitScope } from '../../src/usage/rental-units';
import { UsageEvent, usageStream } from '../../src/usage/usage.events';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * SPEC §6 "under any concurrency a customer never goes over its quota", for the unit a rental
 * uses when two attempts at one rental (same booking_id) race and one of them fails
 * (usage/rental-units.ts; reviewer finding F3). The interleavings are forced step by step by
 * driving the app's own RentalUnits and QuotaLedger between real HTTP requests.
 */
describe('Rental units under racing attempts at one rental', () => {
  let t: TestApp;
  let store: EventStore;
  let units: RentalUnits;
  let accountId: string;
  beforeAll(async () => {
    t = await startTestApp();
    store = t.app.get(EVENT_STORE);
    units = t.app.get(RentalUnits);
    accountId = (await t.app.get(AccountsRepository).findBySecret(t.keys.test))!.accountId;
  });
  afterAll(() => t.close());

  let seq = 0;
  const planWith = async (monthly_quota: number) => (await t.api('POST', '/v1/plans', { body: { name: 'Units', monthly_quota } })).body.id;
  const customerOn = async (planId: string | null) =>
    (await t.api('POST', '/v1/customers', { body: { full_name: 'Racer', ...(planId && { plan_id: planId }) } })).body.id as string;
  const use = (id: string, quantity = 1) => t.api('POST', `/v1/customers/${id}/usage`, { body: { quantity } });
  const rent = (body: Record<string, unknown>) => t.api('POST', '/v1/rentals', { body });
  const rentalsOf = async (id: string) => (await t.api('GET', `/v1/customers/${id}/rentals?limit=100`)).body.data as Array<{ id: string }>;
  const ledger = async (id: string) => (await store.readStream(usageStream(id))).map((e) => ({ type: e.type, data: e.data }) as UsageEvent);
  /** Units used as the log has it, with no read model in between. */
  const usedInLog = (events: UsageEvent[]) =>
    events.reduce((sum, e) => sum + (e.type === 'UsageRecorded' ? e.data.quantity : e.type === 'UsageReleased' ? -e.data.quantity : 0), 0);
  /** The rental stream itself, as giveBack's look must read it. */
  const rentalExists = async (rentalId: string) => (await store.readStream(rentalStream(rentalId), { maxCount: 1 })).length > 0;

  /** Attempt A's side: quota 1, a booking_id reserved for A's rental id, A's unit taken (used 1/1). */
  const attemptA = async () => {
    const id = await customerOn(await planWith(1));
    const bookingId = `BK-F3-${++seq}`;
    const rentalId = `re_f3Race${seq}x${Date.now().toString(36)}`;
    await store.appendToStream(
      bookingIdStream(accountId, false, bookingId),
      [{ type: 'BookingIdReserved', schemaVersion: 1, data: { rental_id: rentalId, account_id: accountId, livemode: false } }],
      { expectedRevision: 'no_stream' },
    );
    const scope: RentalUnitScope = { accountId, livemode: false, customerId: id, rentalId, metadata: { request_id: `req_a${seq}` } };
    expect(await units.take(scope)).toBe('counted');
    return { id, bookingId, rentalId, scope };
  };

  /** used ≤ limit, and GET /usage (the read model) says what the log says. */
  const expectWithinQuota = async (id: string, limit: number) => {
    const inLog = usedInLog(await ledger(id));
    const current = (await t.api('GET', `/v1/customers/${id}/usage`)).body.current;
    expect(inLog).toBeLessThanOrEqual(limit);
    expect(current).toMatchObject({ used: inLog, limit });
    return inLog;
  };

  it('keeps the unit when A fails after B created the rental: C is refused, used 1/1 (the F3 order)', async () => {
    const { id, bookingId, rentalId, scope } = await attemptA();
    // B: same booking_id, a free vehicle. It finds the unit taken by A and creates the rental.
    const b = await rent({ customer_id: id, booking_id: bookingId, vehicle_id: 'free' });
    expect([b.status, b.body.id]).toEqual([201, rentalId]);
    // A's create failed (409 vehicle_unavailable): it looks before giving back, finds the rental.
    await units.giveBack(scope, () => rentalExists(rentalId));
    // C: the quota is still full, the rental's unit never left it.
    const c = await use(id);
    expect([c.status, c.body.error?.code]).toEqual([402, 'quota_exceeded']);
    expect(await expectWithinQuota(id, 1)).toBe(1);
    expect((await ledger(id)).map((e) => e.type)).toEqual(['QuotaTermsChanged', 'UsageRecorded']);
    expect((await rentalsOf(id)).map((r) => r.id)).toEqual([rentalId]);
  });

  it('does not go over the quota in the window it cannot close: A-take, B-create, A-release, C-record, A-recount', async () => {
    const { id, bookingId, rentalId, scope } = await attemptA();
    let b: Awaited<ReturnType<typeof rent>> | undefined;
    let c: Awaited<ReturnType<typeof use>> | undefined;
    let looks = 0;
    // A's create failed; its giveBack looks, releases, looks again. The test puts B and C between.
    await units.giveBack(scope, async () => {
      if (++looks === 1) {
        const exists = await rentalExists(rentalId); // A's first look: no rental yet
        b = await rent({ customer_id: id, booking_id: bookingId, vehicle_id: 'free' }); // B-create, on A's unit
        return exists;
      }
      c = await use(id); // after A-release, before A's second look: C takes the freed room
      return rentalExists(rentalId); // A's second look finds B's rental: A-recount, refused (quota full)
    });
    expect(looks).toBe(2);
    expect([b?.status, b?.body.id]).toEqual([201, rentalId]);
    expect(c?.status).toBe(200);
    await units.settle(scope); // B's settle, late: refused as well

    expect(await expectWithinQuota(id, 1)).toBe(1);
    const events = await ledger(id);
    expect(events.map((e) => [e.type, 'rental_id' in e.data ? e.data.rental_id : undefined])).toEqual([
      ['QuotaTermsChanged', undefined],
      ['UsageRecorded', rentalId], // A-take
      ['UsageReleased', rentalId], // A-release
      ['UsageRecorded', null], // C-record
    ]);
    expect((await rentalsOf(id)).map((r) => r.id)).toEqual([rentalId]);
    // The rental stays uncounted (one unit in the customer's favour); a retry finds a
    // consistent state: the rental is returned, nothing is charged, the quota still holds.
    const retry = await rent({ customer_id: id, booking_id: bookingId, vehicle_id: 'free' });
    expect([retry.status, retry.body.id]).toEqual([200, rentalId]);
    expect((await use(id)).body.error.code).toBe('quota_exceeded');
    expect(await expectWithinQuota(id, 1)).toBe(1);
  });

  it('re-counts the rental when the room is still free at the second look', async () => {
    const { id, bookingId, rentalId, scope } = await attemptA();
    let looks = 0;
    await units.giveBack(scope, async () => {
      if (++looks > 1) return rentalExists(rentalId);
      const exists = await rentalExists(rentalId);
      expect((await rent({ customer_id: id, booking_id: bookingId, vehicle_id: 'free' })).status).toBe(201);
      return exists;
    });
    expect(looks).toBe(2);
    expect(await expectWithinQuota(id, 1)).toBe(1);
    expect((await ledger(id)).map((e) => e.type)).toEqual(['QuotaTermsChanged', 'UsageRecorded', 'UsageReleased', 'UsageRecorded']);
    expect((await use(id)).body.error.code).toBe('quota_exceeded');
  });

  it('never goes over the quota with a raw release and re-count driven on the ledger, in that exact order', async () => {
    // The same order as above without giveBack's looks: what any interleaving of the two
    // attempts' ledger calls could produce.
    const { id, bookingId, rentalId, scope } = await attemptA();
    expect((await rent({ customer_id: id, booking_id: bookingId, vehicle_id: 'free' })).status).toBe(201); // B-create
    await t.app.get(QuotaLedger).execute(id, {}, ({ now }) => ({ type: 'GiveBackRentalUnit', data: { rentalId, now } })); // A-release
    expect((await use(id)).status).toBe(200); // C-record
    await units.settle(scope); // A-recount
    expect(await expectWithinQuota(id, 1)).toBe(1);
  });

  it('stays within the quota when A (busy vehicle), B (free vehicle, same booking_id) and C (usage) really race', async () => {
    // The busy vehicle is held by an approved rental of a customer without a plan.
    const holder = await customerOn(null);
    const dates = { status: 'APPROVED', start_date: '2026-10-01', end_date: '2026-10-05' };
    for (let round = 0; round < 12; round++) {
      const busy = `busy-${seq}-${round}`;
      expect((await rent({ customer_id: holder, vehicle_id: busy, ...dates })).status).toBe(201);
      const id = await customerOn(await planWith(1));
      const bookingId = `BK-F3-race-${++seq}`;
      const [a, b, c] = await Promise.all([
        rent({ customer_id: id, booking_id: bookingId, vehicle_id: busy, ...dates }),
        rent({ customer_id: id, booking_id: bookingId, vehicle_id: `free-${seq}`, ...dates }),
        use(id),
      ]);
      for (const r of [a, b]) expect([200, 201, 402, 409]).toContain(r.status);
      expect([200, 402]).toContain(c.status);
      const used = await expectWithinQuota(id, 1);
      const created = [a, b].some((r) => r.status === 200 || r.status === 201);
      expect(await rentalsOf(id)).toHaveLength(created ? 1 : 0);
      // A 402 for both rental attempts means no rental; accepted usage and a counted rental share one unit.
      if (c.status === 200) expect(used).toBe(1);
    }
  });
});
