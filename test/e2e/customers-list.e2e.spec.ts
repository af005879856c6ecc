import { startTestApp, TestApp } from '../support/test-app';

describe('Customer list', () => {
  let t: TestApp;
  const ids: string[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    // Sequential creates: the list must come back newest first.
    for (let i = 0; i < 7; i++) {
      const res = await t.api('POST', '/v1/customers', {
        body: { full_name: `Person ${i}`, email: `p${i % 3}@example.com`, external_id: `ext-${i}` },
      });
      ids.push(res.body.id);
    }
    await t.api('PATCH', `/v1/customers/${ids[1]}`, { body: { status: 'PAUSED', archived: true } });
  });
  afterAll(() => t.close());

  const list = (query: string) => t.api('GET', `/v1/customers${query}`);
  const idsOf = (res: { body: { data: { id: string }[] } }) => res.body.data.map((c) => c.id);
  const newestFirst = () => [...ids].reverse();

  it('lists newest first with the list envelope and a default limit', async () => {
    const res = await list('');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
    expect(idsOf(res)).toEqual(newestFirst());
  });

  it('pages forward with starting_after and next_cursor, and back with ending_before', async () => {
    const first = await list('?limit=3');
    expect(idsOf(first)).toEqual(newestFirst().slice(0, 3));
    expect(first.body).toMatchObject({ has_more: true, next_cursor: newestFirst()[2] });
    const second = await list(`?limit=3&starting_after=${first.body.next_cursor}`);
    expect(idsOf(second)).toEqual(newestFirst().slice(3, 6));
    const third = await list(`?limit=3&starting_after=${second.body.next_cursor}`);
    expect(idsOf(third)).toEqual(newestFirst().slice(6));
    expect(third.body).toMatchObject({ has_more: false, next_cursor: null });
    const back = await list(`?limit=2&ending_before=${newestFirst()[3]}`);
    expect(idsOf(back)).toEqual(newestFirst().slice(1, 3));
    expect(back.body.has_more).toBe(true);
  });

  it('never repeats or skips an item while writes happen between pages', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`?limit=2${cursor ? `&starting_after=${cursor}` : ''}`);
      seen.push(...idsOf(page));
      cursor = page.body.next_cursor;
      await t.api('POST', '/v1/customers', { body: { full_name: 'Written while paging' } });
      await t.api('PATCH', `/v1/customers/${ids[0]}`, { body: { notes: `touched ${seen.length}` } });
    } while (cursor);
    expect(seen).toEqual(newestFirst());
  });

  it('filters by email, external_id, status and archived', async () => {
    expect(idsOf(await list('?email=p1@example.com'))).toEqual([ids[4], ids[1]]);
    expect(idsOf(await list('?external_id=ext-5'))).toEqual([ids[5]]);
    expect(idsOf(await list('?status=PAUSED'))).toEqual([ids[1]]);
    expect(idsOf(await list('?archived=true'))).toEqual([ids[1]]);
    expect(idsOf(await list('?archived=false&email=p1@example.com'))).toEqual([ids[4]]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['status=GONE', 'status'],
    ['archived=maybe', 'archived'],
    ['starting_after=cu_nope', 'starting_after'],
    ['colour=red', 'colour'],
  ])('rejects ?%s with a 400 naming %s', async (query, param) => {
    const res = await list(`?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('accepts limit=100', async () => {
    expect((await list('?limit=100')).status).toBe(200);
  });
});
