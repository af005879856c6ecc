import { startTestApp, TestApp } from '../support/test-app';

/** SPEC §3: total_rentals, is_returning and overall_score, projected from rental events. */
describe('Customer stats from rentals', () => {
  let t: TestApp;
  let vehicles = 0;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const newCustomer = async () => (await t.api('POST', '/v1/customers', { body: { full_name: 'Stats' } })).body.id as string;
  const stats = async (customerId: string) => {
    const { body } = await t.api('GET', `/v1/customers/${customerId}`);
    return { total_rentals: body.total_rentals, is_returning: body.is_returning, overall_score: body.overall_score };
  };
  const patch = (id: string, body: Record<string, unknown>) => t.api('PATCH', `/v1/rentals/${id}`, { body });

  async function activeRental(customerId: string): Promise<string> {
    const body = { customer_id: customerId, vehicle_id: `bike-${++vehicles}`, start_date: '2026-08-01', end_date: '2026-08-03' };
    const { body: rental } = await t.api('POST', '/v1/rentals', { body });
    await patch(rental.id, { status: 'APPROVED' });
    await patch(rental.id, { status: 'ACTIVE' });
    return rental.id;
  }

  it('starts at 50 and not returning', async () => {
    expect(await stats(await newCustomer())).toEqual({ total_rentals: 0, is_returning: false, overall_score: 50 });
  });

  it('counts a clean return (+5) as soon as the PATCH that completes it returns', async () => {
    const customer = await newCustomer();
    const before = (await t.api('GET', `/v1/customers/${customer}`)).body;
    const done = await patch(await activeRental(customer), { status: 'COMPLETED' });
    expect(done.body.status).toBe('COMPLETED');
    expect(await stats(customer)).toEqual({ total_rentals: 1, is_returning: true, overall_score: 55 });
    // Derived fields are not a change of the customer: same version, same updated_at.
    const after = (await t.api('GET', `/v1/customers/${customer}`)).body;
    expect(after).toMatchObject({ version: before.version, updated_at: before.updated_at });
  });

  it('shows the stats in the customer write responses too, exactly as a GET would', async () => {
    const customer = await newCustomer();
    await patch(await activeRental(customer), { status: 'COMPLETED' });
    const patched = await t.api('PATCH', `/v1/customers/${customer}`, { body: { notes: 'loyal' } });
    expect(patched.body).toMatchObject({ total_rentals: 1, is_returning: true, overall_score: 55, notes: 'loyal' });
    expect(patched.body).toEqual((await t.api('GET', `/v1/customers/${customer}`)).body);
  });

  it('takes 15 for a return with damage set in the completing PATCH, or before it', async () => {
    const customer = await newCustomer();
    const sameRequest = await patch(await activeRental(customer), { status: 'COMPLETED', damage_at_return: true });
    expect(sameRequest.body).toMatchObject({ status: 'COMPLETED', damage_at_return: true });
    expect(await stats(customer)).toEqual({ total_rentals: 1, is_returning: true, overall_score: 35 });
    const earlier = await activeRental(customer);
    await patch(earlier, { damage_at_return: true });
    await patch(earlier, { status: 'COMPLETED' });
    expect(await stats(customer)).toEqual({ total_rentals: 2, is_returning: true, overall_score: 20 });
  });

  it('takes 5 for a cancellation after approval, nothing for one before', async () => {
    const customer = await newCustomer();
    const create = async () =>
      (await t.api('POST', '/v1/rentals', { body: { customer_id: customer, vehicle_id: `bike-${++vehicles}`, start_date: '2026-09-01', end_date: '2026-09-02' } })).body.id;
    await patch(await create(), { status: 'CANCELLED' });
    expect(await stats(customer)).toEqual({ total_rentals: 0, is_returning: false, overall_score: 50 });
    const approved = await create();
    await patch(approved, { status: 'APPROVED' });
    await patch(approved, { status: 'CANCELLED' });
    expect(await stats(customer)).toEqual({ total_rentals: 0, is_returning: false, overall_score: 45 });
  });

  it('counts rentals synced as already COMPLETED, and clamps the score to 0', async () => {
    const customer = await newCustomer();
    for (let i = 0; i < 4; i++) {
      const body = { customer_id: customer, vehicle_id: 'old', status: 'COMPLETED', damage_at_return: true, start_date: '2024-01-01', end_date: '2024-01-02' };
      expect((await t.api('POST', '/v1/rentals', { body })).status).toBe(201);
    }
    expect(await stats(customer)).toEqual({ total_rentals: 4, is_returning: true, overall_score: 0 });
    const listed = await t.api('GET', `/v1/customers?limit=100`);
    expect(listed.body.data.find((c: { id: string }) => c.id === customer)).toMatchObject({ total_rentals: 4, overall_score: 0 });
  });

  it("moves only the renting customer's stats", async () => {
    const [renter, bystander] = [await newCustomer(), await newCustomer()];
    await patch(await activeRental(renter), { status: 'COMPLETED' });
    expect(await stats(bystander)).toEqual({ total_rentals: 0, is_returning: false, overall_score: 50 });
  });
});
