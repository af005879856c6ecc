import { startTestApp, TestApp } from '../support/test-app';

describe('Customers API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, key?: string) => t.api('POST', '/v1/customers', { body, key });

  describe('create and retrieve', () => {
    it('creates a customer with defaults, a version, an ETag and a Request-Id', async () => {
      const res = await create({ full_name: 'Jane Doe', email: 'jane@example.com', phone: '+14155550123' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        object: 'customer',
        full_name: 'Jane Doe',
        email: 'jane@example.com',
        phone: '+14155550123',
        preferred_language: 'en',
        status: 'ACTIVE',
        archived: false,
        metadata: {},
        is_returning: false,
        total_rentals: 0,
        overall_score: 50,
        version: 1,
        livemode: false,
      });
      expect(res.body.id).toMatch(/^cu_/);
      expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(res.headers.get('etag')).toBe('"1"');
      expect(res.headers.get('request-id')).toMatch(/^req_/);

      const got = await t.api('GET', `/v1/customers/${res.body.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it('requires full_name for a new customer', async () => {
      const res = await create({ email: 'x@example.com' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param: 'full_name' });
    });

    it.each([
      ['a bad email', { full_name: 'A', email: 'not-an-email' }, 'email'],
      ['a phone not in E.164', { full_name: 'A', phone: '0770 090 0123' }, 'phone'],
      ['a bad language tag', { full_name: 'A', preferred_language: 'english!' }, 'preferred_language'],
      ['a non-string metadata value', { full_name: 'A', metadata: { k: 5 } }, 'metadata'],
      ['51 metadata keys', { full_name: 'A', metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, 'metadata'],
      ['a 41-character metadata key', { full_name: 'A', metadata: { ['x'.repeat(41)]: 'v' } }, 'metadata'],
      ['a 501-character metadata value', { full_name: 'A', metadata: { k: 'v'.repeat(501) } }, 'metadata'],
      ['a number as full_name', { full_name: 42 }, 'full_name'],
      ['an unknown field', { full_name: 'A', nickname: 'J' }, 'nickname'],
    ])('rejects %s naming the param, changing nothing', async (_label, body, param) => {
      const before = await t.api('GET', '/v1/customers?limit=100');
      const res = await create(body as Record<string, unknown>);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
      const after = await t.api('GET', '/v1/customers?limit=100');
      expect(after.body.data.length).toBe(before.body.data.length);
    });

    it('answers malformed JSON with a 400, not a 500', async () => {
      const res = await t.api('POST', '/v1/customers', { rawBody: '{"full_name": "Ja' });
      expect(res.status).toBe(400);
      expect(res.body.error.type).toBe('invalid_request_error');
    });

    it('answers an unknown id and an unknown route with 404 resource_missing', async () => {
      const missing = await t.api('GET', '/v1/customers/cu_doesnotexist');
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({ type: 'not_found', code: 'resource_missing' });
      expect((await t.api('GET', '/v1/nothing-here')).status).toBe(404);
    });
  });

  describe('isolation', () => {
    it("treats another account's or mode's customer exactly like a missing one", async () => {
      const { body: mine } = await create({ full_name: 'Isolated', email: 'iso@example.com' });
      for (const key of [t.keys.other, t.keys.live]) {
        const get = await t.api('GET', `/v1/customers/${mine.id}`, { key });
        expect(get.status).toBe(404);
        const patch = await t.api('PATCH', `/v1/customers/${mine.id}`, { key, body: { full_name: 'Hacked' } });
        expect(patch.status).toBe(404);
        const patchStale = await t.api('PATCH', `/v1/customers/${mine.id}`, {
          key,
          body: { full_name: 'Hacked' },
          headers: { 'if-match': '"99"' },
        });
        expect(patchStale.status).toBe(404);
        const list = await t.api('GET', '/v1/customers?email=iso@example.com', { key });
        expect(list.body.data).toEqual([]);
      }
      expect((await t.api('GET', `/v1/customers/${mine.id}`)).body.full_name).toBe('Isolated');
    });

    it('keeps live and test data apart', async () => {
      const live = await create({ full_name: 'Live One' }, t.keys.live);
      expect(live.body.livemode).toBe(true);
      const list = await t.api('GET', '/v1/customers?limit=100', { key: t.keys.live });
      expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([live.body.id]);
    });
  });
});
