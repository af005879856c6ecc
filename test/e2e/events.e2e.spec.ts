import { startTestApp, TestApp } from '../support/test-app';

interface PublicEvent {
  id: string;
  type: string;
  created_at: string;
  livemode: boolean;
  data: { object: { id: string; version: number } & Record<string, unknown>; previous_attributes: Record<string, unknown> };
}

describe('Events API', () => {
  let t: TestApp;
  let ada: { id: string; created_at: string };
  let adaUpdatedAt: string;
  let bob: { id: string };
  beforeAll(async () => {
    t = await startTestApp();
    const created = await t.api('POST', '/v1/customers', {
      body: { full_name: 'Ada', email: 'ada@example.com', metadata: { tier: 'gold' } },
    });
    ada = created.body;
    const patched = await t.api('PATCH', `/v1/customers/${ada.id}`, { body: { full_name: 'Ada L.', metadata: { tier: null } } });
    adaUpdatedAt = patched.body.updated_at;
    bob = (await t.api('POST', '/v1/customers', { body: { full_name: 'Bob', external_id: 'crm-bob' } })).body;
  });
  afterAll(() => t.close());

  const list = async (query = '', key?: string) => {
    const res = await t.api('GET', `/v1/events${query}`, { key });
    expect(res.status).toBe(200);
    return res.body as { object: 'list'; data: PublicEvent[]; has_more: boolean; next_cursor: string | null };
  };

  it('lists every change as an event object, newest first, with the resource as it was after it', async () => {
    const page = await list();
    expect(page).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
    expect(page.data.map((e) => [e.type, e.data.object.id])).toEqual([
      ['customer.created', bob.id],
      ['customer.updated', ada.id],
      ['customer.created', ada.id],
    ]);
    const [, update, creation] = page.data;
    expect(update).toMatchObject({
      object: 'event',
      livemode: false,
      created_at: adaUpdatedAt,
      data: {
        object: { object: 'customer', full_name: 'Ada L.', email: 'ada@example.com', metadata: {}, version: 2 },
        previous_attributes: { full_name: 'Ada', metadata: { tier: 'gold' } },
      },
    });
    expect(creation.data).toMatchObject({
      object: { full_name: 'Ada', metadata: { tier: 'gold' }, version: 1 },
      previous_attributes: {},
    });
    expect(creation.created_at).toBe(ada.created_at);
    for (const event of page.data) expect(event.id).toMatch(/^evt_[0-9a-f]{32}$/);
  });

  it('retrieves one event by id, exactly as listed', async () => {
    const [latest] = (await list()).data;
    const got = await t.api('GET', `/v1/events/${latest.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(latest);
  });

  it('shows a write at once (read-your-writes), and a PATCH that changes nothing publishes nothing', async () => {
    const before = (await list('?limit=100')).data.length;
    await t.api('PATCH', `/v1/customers/${bob.id}`, { body: { full_name: 'Bob' } });
    expect((await list('?limit=100')).data.length).toBe(before);
    await t.api('PATCH', `/v1/customers/${bob.id}`, { body: { notes: 'VIP' } });
    const [latest] = (await list()).data;
    expect(latest).toMatchObject({
      type: 'customer.updated',
      data: { object: { id: bob.id, notes: 'VIP' }, previous_attributes: { notes: null } },
    });
  });

  it('publishes an upsert by external_id as one update, and nothing for the reservation behind it', async () => {
    const before = (await list('?limit=100')).data.length;
    const upsert = await t.api('POST', '/v1/customers', { body: { external_id: 'crm-bob', email: 'bob@example.com' } });
    expect(upsert.status).toBe(200);
    const after = (await list('?limit=100')).data;
    expect(after.length).toBe(before + 1);
    expect(after[0]).toMatchObject({ type: 'customer.updated', data: { object: { id: bob.id, email: 'bob@example.com' } } });
  });

  it('filters by type, resource_id and a created range', async () => {
    expect((await list('?type=customer.created')).data.map((e) => e.data.object.id)).toEqual([bob.id, ada.id]);
    expect((await list(`?resource_id=${ada.id}`)).data.map((e) => e.type)).toEqual(['customer.updated', 'customer.created']);
    const at = encodeURIComponent(adaUpdatedAt);
    expect((await list(`?resource_id=${ada.id}&created[gte]=${at}`)).data.map((e) => e.type)).toEqual(['customer.updated']);
    expect((await list(`?resource_id=${ada.id}&created[lt]=${at}`)).data.map((e) => e.type)).toEqual(['customer.created']);
    expect((await list('?type=rental.created')).data).toEqual([]);
  });

  it('pages newest first with starting_after and ending_before, like every list', async () => {
    const all = (await list('?limit=100')).data.map((e) => e.id);
    const first = await list('?limit=2');
    expect(first).toMatchObject({ has_more: true, next_cursor: all[1] });
    expect(first.data.map((e) => e.id)).toEqual(all.slice(0, 2));
    const second = await list(`?limit=2&starting_after=${first.next_cursor}`);
    expect(second.data.map((e) => e.id)).toEqual(all.slice(2, 4));
    const back = await list(`?limit=2&ending_before=${all[3]}`);
    expect(back.data.map((e) => e.id)).toEqual(all.slice(1, 3));
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['type=customer.exploded', 'type'],
    ['created[gte]=yesterday', 'created[gte]'],
    ['created[lt]=2030-13-01T00:00:00Z', 'created[lt]'],
    ['starting_after=evt_00000000000000000000000000000000', 'starting_after'],
    ['colour=red', 'colour'],
  ])('answers ?%s with a 400 naming %s', async (query, param) => {
    const res = await t.api('GET', `/v1/events?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it("treats another account's or mode's events exactly like missing ones", async () => {
    const [latest] = (await list()).data;
    for (const key of [t.keys.other, t.keys.live]) {
      expect((await list('', key)).data).toEqual([]);
      const got = await t.api('GET', `/v1/events/${latest.id}`, { key });
      expect(got.status).toBe(404);
      expect(got.body.error).toMatchObject({ type: 'not_found', code: 'resource_missing' });
    }
    expect((await t.api('GET', '/v1/events/evt_nope')).status).toBe(404);
    const live = await t.api('POST', '/v1/customers', { body: { full_name: 'Live' }, key: t.keys.live });
    const liveEvents = await list('', t.keys.live);
    expect(liveEvents.data).toEqual([expect.objectContaining({ livemode: true, type: 'customer.created' })]);
    expect(liveEvents.data[0].data.object.id).toBe(live.body.id);
  });

  it('needs an API key; a read-only key may list', async () => {
    expect((await t.api('GET', '/v1/events', { key: null })).status).toBe(401);
    expect((await t.api('GET', '/v1/events', { key: t.keys.testRead })).status).toBe(200);
  });
});
