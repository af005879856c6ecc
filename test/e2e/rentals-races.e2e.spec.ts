import { startTestApp, TestApp } from '../support/test-app';

/** SPEC §4 guarantees that must hold when requests race, not only one at a time. */
describe('Rental races', () => {
  let t: TestApp;
  let customerId: string;

  beforeAll(async () => {
    t = await startTestApp();
    customerId = (await t.api('POST', '/v1/customers', { body: { full_name: 'Racer' } })).body.id;
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>) => t.api('POST', '/v1/rentals', { body: { customer_id: customerId, ...body } });
  const statuses = (responses: Array<{ status: number }>) => responses.map((r) => r.status).sort();

  it('lets exactly one of 8 simultaneous approvals of overlapping rentals of one vehicle win', async () => {
    const rentals = await Promise.all(
      Array.from({ length: 8 }, (_, i) => create({ vehicle_id: 'race-car', start_date: `2026-10-0${i + 1}`, end_date: '2026-10-09' })),
    );
    const results = await Promise.all(
      rentals.map((r) => t.api('PATCH', `/v1/rentals/${r.body.id}`, { body: { status: 'APPROVED' } })),
    );
    expect(statuses(results)).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    for (const loser of results.filter((r) => r.status === 409)) expect(loser.body.error.code).toBe('vehicle_unavailable');
    const approved = await t.api('GET', '/v1/rentals?vehicle_id=race-car&status=APPROVED');
    expect(approved.body.data).toHaveLength(1);
    expect(approved.body.data[0].id).toBe(results.find((r) => r.status === 200)!.body.id);
  });

  it('lets exactly one of 8 simultaneous creates of overlapping APPROVED rentals win', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => create({ vehicle_id: 'race-van', status: 'APPROVED', start_date: '2026-11-01', end_date: '2026-11-04' })),
    );
    expect(statuses(results)).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect((await t.api('GET', '/v1/rentals?vehicle_id=race-van')).body.data).toHaveLength(1);
  });

  it('never approves two rentals sharing a day when approvals race over a chain of overlapping ranges', async () => {
    // Each range overlaps its neighbours only: several may win, but never two neighbours, and
    // a rental is refused only for a real winner, so the winners leave no free range behind.
    const ranges = Array.from({ length: 8 }, (_, i) => ({
      start_date: `2026-12-${String(1 + 2 * i).padStart(2, '0')}`,
      end_date: `2026-12-${String(3 + 2 * i).padStart(2, '0')}`,
    }));
    const rentals = await Promise.all(ranges.map((r) => create({ vehicle_id: 'race-bus', ...r })));
    await Promise.all(rentals.map((r) => t.api('PATCH', `/v1/rentals/${r.body.id}`, { body: { status: 'APPROVED' } })));
    const approved = (await t.api('GET', '/v1/rentals?vehicle_id=race-bus&status=APPROVED')).body.data as Array<{ start_date: string; end_date: string }>;
    expect(approved.length).toBeGreaterThanOrEqual(3);
    for (const a of approved) {
      for (const b of approved) if (a !== b) expect(a.start_date <= b.end_date && b.start_date <= a.end_date).toBe(false);
    }
  });

  it('creates one rental from 10 simultaneous creates with one booking_id; the others get it back with 200', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => create({ vehicle_id: 'race-bike', booking_id: 'BK-RACE', metadata: { attempt: String(i) } })),
    );
    expect(statuses(results)).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const listed = await t.api('GET', '/v1/rentals?booking_id=BK-RACE');
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0].id).toBe([...ids][0]);
  });

  it('applies racing PATCHes of one rental one after the other, never losing one', async () => {
    const { body } = await create({ vehicle_id: 'race-tram' });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => t.api('PATCH', `/v1/rentals/${body.id}`, { body: { metadata: { [`k${i}`]: 'v' } } })),
    );
    expect(statuses(results)).toEqual([200, 200, 200, 200, 200, 200]);
    const final = (await t.api('GET', `/v1/rentals/${body.id}`)).body;
    expect(Object.keys(final.metadata).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
    expect(final.version).toBe(7);
  });
});
