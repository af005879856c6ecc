import { startTestApp, TestApp } from '../support/test-app';

/** SPEC §5 plans: an event-sourced resource like customers, with the §2 conventions. */
describe('Plans API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, key?: string) => t.api('POST', '/v1/plans', { body, key });
  const patch = (id: string, body: unknown, headers: Record<string, string> = {}) => t.api('PATCH', `/v1/plans/${id}`, { body, headers });

  describe('create and retrieve', () => {
    it('creates a plan with a version, an ETag and a Request-Id, and GET returns the same', async () => {
      const res = await create({ name: 'Pro', monthly_quota: 100, metadata: { tier: 'gold' } });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^pln_[0-9A-Za-z]+$/),
        object: 'plan',
        name: 'Pro',
        monthly_quota: 100,
        metadata: { tier: 'gold' },
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updated_at: res.body.created_at,
        version: 1,
        livemode: false,
      });
      expect(res.headers.get('etag')).toBe('"1"');
      expect(res.headers.get('request-id')).toMatch(/^req_/);
      const got = await t.api('GET', `/v1/plans/${res.body.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
      expect(got.headers.get('etag')).toBe('"1"');
    });

    it('takes a missing monthly_quota, or null, as unlimited, and 0 as nothing allowed', async () => {
      expect((await create({ name: 'Open' })).body.monthly_quota).toBeNull();
      expect((await create({ name: 'Open', monthly_quota: null })).body.monthly_quota).toBeNull();
      expect((await create({ name: 'Closed', monthly_quota: 0 })).body.monthly_quota).toBe(0);
    });

    it.each([
      ['no name', { monthly_quota: 5 }, 'name'],
      ['an empty name', { name: '' }, 'name'],
      ['a negative quota', { name: 'A', monthly_quota: -1 }, 'monthly_quota'],
      ['a fractional quota', { name: 'A', monthly_quota: 1.5 }, 'monthly_quota'],
      ['a quota as a string', { name: 'A', monthly_quota: '5' }, 'monthly_quota'],
      ['a non-string metadata value', { name: 'A', metadata: { k: 1 } }, 'metadata'],
      ['an unknown field', { name: 'A', price: 10 }, 'price'],
    ])('rejects %s with a 400 naming the param, creating nothing', async (_label, body, param) => {
      const before = (await t.api('GET', '/v1/plans?limit=100')).body.data.length;
      const res = await create(body as Record<string, unknown>);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
      expect((await t.api('GET', '/v1/plans?limit=100')).body.data.length).toBe(before);
    });

    it('answers an unknown plan with 404 resource_missing', async () => {
      for (const id of ['pln_doesnotexist', 'not-a-plan-id']) {
        const res = await t.api('GET', `/v1/plans/${id}`);
        expect(res.status).toBe(404);
        expect(res.body.error).toMatchObject({ type: 'not_found', code: 'resource_missing' });
        expect((await patch(id, { name: 'X' })).status).toBe(404);
      }
    });

    it('replays a create with the same Idempotency-Key instead of creating a second plan', async () => {
      const headers = { 'idempotency-key': 'plan-create-1' };
      const first = await t.api('POST', '/v1/plans', { body: { name: 'Once' }, headers });
      const again = await t.api('POST', '/v1/plans', { body: { name: 'Once' }, headers });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
    });
  });

  describe('update', () => {
    it('changes only what is sent, merges metadata, and bumps version and ETag', async () => {
      const { body: plan } = await create({ name: 'Basic', monthly_quota: 10, metadata: { a: '1', b: '2' } });
      const res = await patch(plan.id, { monthly_quota: 20, metadata: { a: null, c: '3' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Basic', monthly_quota: 20, metadata: { b: '2', c: '3' }, version: 2 });
      expect(res.headers.get('etag')).toBe('"2"');
      expect((await patch(plan.id, { monthly_quota: null })).body).toMatchObject({ monthly_quota: null, version: 3 });
      expect((await t.api('GET', `/v1/plans/${plan.id}`)).body).toMatchObject({ monthly_quota: null, version: 3 });
    });

    it('appends nothing for a PATCH that changes nothing', async () => {
      const { body: plan } = await create({ name: 'Same', monthly_quota: 3 });
      const res = await patch(plan.id, { name: 'Same', monthly_quota: 3 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(plan);
    });

    it('honours If-Match: a stale one is 412 and changes nothing', async () => {
      const { body: plan } = await create({ name: 'Guarded', monthly_quota: 1 });
      await patch(plan.id, { monthly_quota: 2 });
      const stale = await patch(plan.id, { monthly_quota: 99 }, { 'if-match': '"1"' });
      expect(stale.status).toBe(412);
      expect(stale.body.error.type).toBe('precondition_failed');
      expect((await t.api('GET', `/v1/plans/${plan.id}`)).body).toMatchObject({ monthly_quota: 2, version: 2 });
      expect((await patch(plan.id, { monthly_quota: 3 }, { 'if-match': '"2"' })).body.version).toBe(3);
    });

    it('rejects a bad quota and clearing the name', async () => {
      const { body: plan } = await create({ name: 'Strict' });
      expect((await patch(plan.id, { monthly_quota: -5 })).body.error.param).toBe('monthly_quota');
      expect((await patch(plan.id, { name: null })).body.error.param).toBe('name');
    });
  });

  describe('list and isolation', () => {
    it('pages newest first with starting_after and ending_before, never repeating an item', async () => {
      const other = await startTestApp();
      try {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push((await other.api('POST', '/v1/plans', { body: { name: `P${i}` } })).body.id);
        const newestFirst = [...ids].reverse();
        const page1 = await other.api('GET', '/v1/plans?limit=2');
        expect(page1.body).toMatchObject({ object: 'list', has_more: true, next_cursor: newestFirst[1] });
        expect(page1.body.data.map((p: { id: string }) => p.id)).toEqual(newestFirst.slice(0, 2));
        const page2 = await other.api('GET', `/v1/plans?limit=2&starting_after=${page1.body.next_cursor}`);
        expect(page2.body.data.map((p: { id: string }) => p.id)).toEqual(newestFirst.slice(2, 4));
        const page3 = await other.api('GET', `/v1/plans?limit=2&starting_after=${page2.body.next_cursor}`);
        expect(page3.body).toMatchObject({ has_more: false, next_cursor: null });
        expect(page3.body.data.map((p: { id: string }) => p.id)).toEqual(newestFirst.slice(4));
        const back = await other.api('GET', `/v1/plans?limit=2&ending_before=${newestFirst[4]}`);
        expect(back.body.data.map((p: { id: string }) => p.id)).toEqual(newestFirst.slice(2, 4));
        expect((await other.api('GET', '/v1/plans?limit=101')).status).toBe(400);
        expect((await other.api('GET', '/v1/plans?starting_after=pln_nope')).body.error.param).toBe('starting_after');
      } finally {
        await other.close();
      }
    });

    it("treats another account's or mode's plan exactly like a missing one", async () => {
      const { body: mine } = await create({ name: 'Mine', monthly_quota: 7 });
      for (const key of [t.keys.other, t.keys.live]) {
        expect((await t.api('GET', `/v1/plans/${mine.id}`, { key })).status).toBe(404);
        expect((await t.api('PATCH', `/v1/plans/${mine.id}`, { key, body: { name: 'Hacked' } })).status).toBe(404);
        const list = await t.api('GET', '/v1/plans?limit=100', { key });
        expect(list.body.data.map((p: { id: string }) => p.id)).not.toContain(mine.id);
      }
      const live = await create({ name: 'Live plan' }, t.keys.live);
      expect(live.body.livemode).toBe(true);
      expect((await t.api('GET', `/v1/plans/${mine.id}`)).body.name).toBe('Mine');
    });

    it('needs a read_write key to write and a read key to read', async () => {
      expect((await create({ name: 'Nope' }, t.keys.testRead)).status).toBe(403);
      expect((await t.api('GET', '/v1/plans', { key: t.keys.testRead })).status).toBe(200);
      expect((await t.api('GET', '/v1/plans', { key: null })).status).toBe(401);
    });
  });
});
