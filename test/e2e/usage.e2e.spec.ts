import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;

/** SPEC §3/§6: customers on plans, recording usage, and the 402s that record nothing. */
describe('Usage quotas', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const plan = async (monthly_quota: number | null, key?: string) =>
    (await t.api('POST', '/v1/plans', { body: { name: `Q${monthly_quota}`, monthly_quota }, key })).body.id as string;
  const customer = async (body: Record<string, unknown> = {}) =>
    (await t.api('POST', '/v1/customers', { body: { full_name: 'Quota User', ...body } })).body;
  const use = (id: string, quantity: unknown, key?: string) => t.api('POST', `/v1/customers/${id}/usage`, { body: { quantity }, key });
  const usage = async (id: string) => (await t.api('GET', `/v1/customers/${id}/usage`)).body;
  const patch = (id: string, body: unknown) => t.api('PATCH', `/v1/customers/${id}`, { body });

  describe('the customer resource', () => {
    it('gets plan_id and a 30-day period starting now when created with a plan', async () => {
      const planId = await plan(5);
      const before = Date.now();
      const c = await customer({ plan_id: planId });
      expect(c).toMatchObject({ plan_id: planId, version: 1 });
      expect(Date.parse(c.period_start)).toBeGreaterThanOrEqual(before - 5);
      expect(Date.parse(c.period_end) - Date.parse(c.period_start)).toBe(30 * DAY);
      expect((await t.api('GET', `/v1/customers/${c.id}`)).body).toEqual(c);
      expect((await t.api('GET', `/v1/customers?plan_id=${planId}`)).body.data.map((x: { id: string }) => x.id)).toEqual([c.id]);
    });

    it('has no plan and no period by default', async () => {
      expect(await customer()).toMatchObject({ plan_id: null, period_start: null, period_end: null });
    });

    it('refuses an unknown plan, or one of another account or mode, as a 400 on plan_id, changing nothing', async () => {
      const foreign = [await plan(5, t.keys.other), await plan(5, t.keys.live), 'pln_nope'];
      const c = await customer();
      for (const planId of foreign) {
        const created = await t.api('POST', '/v1/customers', { body: { full_name: 'X', plan_id: planId } });
        expect(created.status).toBe(400);
        expect(created.body.error).toMatchObject({ param: 'plan_id', code: 'resource_missing' });
        expect((await patch(c.id, { plan_id: planId })).body.error).toMatchObject({ param: 'plan_id' });
      }
      expect((await t.api('GET', `/v1/customers/${c.id}`)).body).toMatchObject({ plan_id: null, version: 1 });
    });

    it('starts a fresh period on attach and on reset_period, keeps it on a plan switch, ends it on detach', async () => {
      const [basic, pro] = [await plan(5), await plan(10)];
      const c = await customer();
      const attached = (await patch(c.id, { plan_id: basic })).body;
      expect(attached).toMatchObject({ plan_id: basic, version: 2 });
      const switched = (await patch(c.id, { plan_id: pro })).body;
      expect(switched).toMatchObject({ plan_id: pro, period_start: attached.period_start, version: 3 });
      await new Promise((r) => setTimeout(r, 5));
      const reset = (await patch(c.id, { reset_period: true })).body;
      expect(Date.parse(reset.period_start)).toBeGreaterThan(Date.parse(attached.period_start));
      expect(Date.parse(reset.period_end) - Date.parse(reset.period_start)).toBe(30 * DAY);
      expect((await patch(c.id, { reset_period: false })).body.version).toBe(reset.version);
      expect((await patch(c.id, { plan_id: null })).body).toMatchObject({ plan_id: null, period_start: null, period_end: null });
      const noPlan = await patch(c.id, { reset_period: true });
      expect(noPlan.status).toBe(400);
      expect(noPlan.body.error.param).toBe('reset_period');
    });

    it('rolls the period forward on an external_id upsert that sets a plan, and only then', async () => {
      const planId = await plan(5);
      const first = (await t.api('POST', '/v1/customers', { body: { full_name: 'Sub', external_id: 'sub-42', plan_id: planId } })).body;
      await new Promise((r) => setTimeout(r, 5));
      const renewed = await t.api('POST', '/v1/customers', { body: { external_id: 'sub-42', plan_id: planId } });
      expect(renewed.status).toBe(200);
      expect(renewed.body.id).toBe(first.id);
      expect(Date.parse(renewed.body.period_start)).toBeGreaterThan(Date.parse(first.period_start));
      const untouched = await t.api('POST', '/v1/customers', { body: { external_id: 'sub-42', email: 'sub@example.com' } });
      expect(untouched.body.period_start).toBe(renewed.body.period_start);
    });
  });

  describe('recording usage', () => {
    it('records units and answers the usage object, which GET then returns', async () => {
      const planId = await plan(5);
      const c = await customer({ plan_id: planId, external_id: 'usage-obj' });
      const res = await use(c.id, 2);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        object: 'usage',
        customer_id: c.id,
        external_id: 'usage-obj',
        plan: { id: planId, object: 'plan', name: 'Q5', monthly_quota: 5 },
        status: 'ACTIVE',
        period_start: c.period_start,
        period_end: c.period_end,
        current: { used: 2, limit: 5, remaining: 3, ok: true },
        history: [{ period_start: c.period_start, period_end: c.period_end, used: 2, limit: 5 }],
        livemode: false,
      });
      expect(await usage(c.id)).toEqual(res.body);
    });

    it('counts a request replayed with the same Idempotency-Key once', async () => {
      const c = await customer({ plan_id: await plan(5) });
      const send = () => t.api('POST', `/v1/customers/${c.id}/usage`, { body: { quantity: 2 }, headers: { 'idempotency-key': 'use-2' } });
      const [first, again] = [await send(), await send()];
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expect((await usage(c.id)).current.used).toBe(2);
    });

    it.each([[0], [-1], [1.5], ['2'], [null]])('rejects quantity %p with a 400 on quantity', async (quantity) => {
      const c = await customer({ plan_id: await plan(5) });
      const res = await use(c.id, quantity);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'quantity' });
      expect((await usage(c.id)).current.used).toBe(0);
    });

    it('answers 402 quota_exceeded over quota and records nothing', async () => {
      const c = await customer({ plan_id: await plan(5) });
      expect((await use(c.id, 4)).status).toBe(200);
      const over = await use(c.id, 2);
      expect(over.status).toBe(402);
      expect(over.body.error).toMatchObject({ type: 'payment_required', code: 'quota_exceeded' });
      expect((await usage(c.id)).current).toEqual({ used: 4, limit: 5, remaining: 1, ok: true });
      expect((await use(c.id, 1)).body.current).toEqual({ used: 5, limit: 5, remaining: 0, ok: false });
    });

    it.each([
      ['no_plan', {}],
      ['customer_paused', { status: 'PAUSED' }],
      ['customer_cancelled', { status: 'CANCELLED' }],
    ])('answers 402 %s and records nothing', async (code, change) => {
      const c = await customer({ plan_id: await plan(5) });
      await patch(c.id, Object.keys(change).length ? change : { plan_id: null });
      const res = await use(c.id, 1);
      expect(res.status).toBe(402);
      expect(res.body.error).toMatchObject({ type: 'payment_required', code });
      const after = await usage(c.id);
      expect(after.current.used).toBe(0);
      expect(after.current.ok).toBe(false);
    });

    it('never limits an unlimited plan: limit and remaining are null', async () => {
      const c = await customer({ plan_id: await plan(null) });
      expect((await use(c.id, 100_000)).body.current).toEqual({ used: 100_000, limit: null, remaining: null, ok: true });
    });

    it("applies a changed quota to the current period from then on; detaching makes the next usage 402 no_plan", async () => {
      const planId = await plan(5);
      const c = await customer({ plan_id: planId });
      await use(c.id, 5);
      expect((await use(c.id, 1)).status).toBe(402);
      await t.api('PATCH', `/v1/plans/${planId}`, { body: { monthly_quota: 8 } });
      expect((await use(c.id, 3)).body.current).toEqual({ used: 8, limit: 8, remaining: 0, ok: false });
      await t.api('PATCH', `/v1/plans/${planId}`, { body: { monthly_quota: 6 } });
      expect((await usage(c.id)).current).toEqual({ used: 8, limit: 6, remaining: 0, ok: false });
      await patch(c.id, { plan_id: null });
      expect((await use(c.id, 1)).body.error.code).toBe('no_plan');
      expect(await usage(c.id)).toMatchObject({ plan: null, period_start: null, current: { used: 0, limit: 0, remaining: 0, ok: false } });
    });

    it('starts from zero after reset_period, and keeps the used units across a plan switch', async () => {
      const [basic, pro] = [await plan(5), await plan(7)];
      const c = await customer({ plan_id: basic });
      await use(c.id, 5);
      await patch(c.id, { plan_id: pro });
      expect((await use(c.id, 3)).body.error.code).toBe('quota_exceeded');
      expect((await use(c.id, 2)).body.current).toMatchObject({ used: 7, limit: 7 });
      await patch(c.id, { reset_period: true });
      expect((await use(c.id, 7)).body.current).toMatchObject({ used: 7, remaining: 0 });
      expect((await usage(c.id)).history.map((h: { used: number }) => h.used)).toEqual([7, 7]);
    });

    it("treats another account's or mode's customer as missing, and checks scopes", async () => {
      const c = await customer({ plan_id: await plan(5) });
      for (const key of [t.keys.other, t.keys.live]) {
        expect((await use(c.id, 1, key)).status).toBe(404);
        expect((await t.api('GET', `/v1/customers/${c.id}/usage`, { key })).status).toBe(404);
      }
      expect((await use(c.id, 1, t.keys.testRead)).status).toBe(403);
      expect((await t.api('GET', '/v1/customers/cu_missing/usage')).status).toBe(404);
      expect((await use('cu_missing', 1)).status).toBe(404);
      expect((await usage(c.id)).current.used).toBe(0);
    });
  });
});
