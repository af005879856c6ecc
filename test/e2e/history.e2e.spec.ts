import { startTestApp, TestApp } from '../support/test-app';

describe('Customer history and point-in-time reads', () => {
  let t: TestApp;
  let id: string;
  const versions: Array<Record<string, any>> = [];
  const requestIds: string[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    const writes: Array<[string, string, object]> = [
      ['POST', '/v1/customers', { full_name: 'Grace', email: 'grace@example.com', metadata: { team: 'navy' } }],
      ['PATCH', '', { email: 'hopper@example.com', metadata: { team: null, rank: 'admiral' } }],
      ['PATCH', '', { status: 'PAUSED' }],
    ];
    for (const [method, path, body] of writes) {
      // Apart in time, so a moment between two versions exists at millisecond precision.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const res = await t.api(method, path || `/v1/customers/${id}`, { body });
      id ??= res.body.id;
      versions.push(res.body);
      requestIds.push(res.headers.get('request-id')!);
    }
  });
  afterAll(() => t.close());

  const get = (query: string, key?: string) => t.api('GET', `/v1/customers/${id}${query}`, { key });

  describe('GET /v1/customers/{id}/history', () => {
    it('lists every change in order with its version, time, acting key, request id and changed fields', async () => {
      const res = await get('/history');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
      const [created, contact, paused] = res.body.data;
      expect(res.body.data).toHaveLength(3);
      expect(created).toMatchObject({
        version: 1,
        type: 'CustomerCreated',
        created_at: versions[0].created_at,
        actor: t.keyIds.test,
        request_id: requestIds[0],
      });
      expect(created.changes).toMatchObject({
        full_name: { from: null, to: 'Grace' },
        email: { from: null, to: 'grace@example.com' },
        metadata: { from: null, to: { team: 'navy' } },
        status: { from: null, to: 'ACTIVE' },
      });
      expect(contact).toEqual({
        version: 2,
        type: 'CustomerUpdated',
        created_at: versions[1].updated_at,
        actor: t.keyIds.test,
        request_id: requestIds[1],
        changes: {
          email: { from: 'grace@example.com', to: 'hopper@example.com' },
          metadata: { from: { team: 'navy' }, to: { rank: 'admiral' } },
        },
      });
      expect(paused).toMatchObject({ version: 3, request_id: requestIds[2], changes: { status: { from: 'ACTIVE', to: 'PAUSED' } } });
    });

    it('answers like retrieve: 404 for an unknown id, another account or the other mode', async () => {
      for (const key of [t.keys.other, t.keys.live]) {
        const res = await get('/history', key);
        expect(res.status).toBe(404);
        expect(res.body.error).toMatchObject({ type: 'not_found', code: 'resource_missing' });
      }
      expect((await t.api('GET', '/v1/customers/cu_doesnotexist/history')).status).toBe(404);
      expect((await t.api('GET', '/v1/customers/not-an-id/history')).status).toBe(404);
      expect((await get('/history', t.keys.testRead)).status).toBe(200);
    });
  });

  describe('GET /v1/customers/{id}?version= and ?as_of=', () => {
    it('returns each version exactly as the write that made it answered', async () => {
      for (const [i, expected] of versions.entries()) {
        const res = await get(`?version=${i + 1}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual(expected);
        expect(res.headers.get('etag')).toBe(`"${i + 1}"`);
      }
    });

    it('returns the state at a moment: at a change, between changes, and now', async () => {
      const at = async (time: string) => (await get(`?as_of=${encodeURIComponent(time)}`)).body;
      expect(await at(versions[0].created_at)).toEqual(versions[0]);
      expect(await at(versions[1].updated_at)).toEqual(versions[1]);
      const between = new Date(Date.parse(versions[2].updated_at) - 1).toISOString();
      expect((await at(between)).version).toBe(2);
      expect(await at('2999-01-01T00:00:00Z')).toEqual(versions[2]);
    });

    it('is a 404 before the customer existed, for a version it never had, and across accounts', async () => {
      const before = new Date(Date.parse(versions[0].created_at) - 1).toISOString();
      expect((await get(`?as_of=${before}`)).status).toBe(404);
      expect((await get('?version=4')).status).toBe(404);
      expect((await get('?version=1', t.keys.other)).status).toBe(404);
      expect((await get(`?as_of=${versions[2].updated_at}`, t.keys.live)).status).toBe(404);
      expect((await t.api('GET', '/v1/customers/cu_doesnotexist?version=1')).status).toBe(404);
    });

    it.each([
      ['as_of=yesterday', 'as_of'],
      ['as_of=2030-02-30T00:00:00Z', 'as_of'],
      ['version=0', 'version'],
      ['version=1.5', 'version'],
      ['version=two', 'version'],
      ['version=1&as_of=2030-01-01T00:00:00Z', 'version'],
    ])('answers ?%s with a 400 naming %s', async (query, param) => {
      const res = await get(`?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
    });
  });
});
