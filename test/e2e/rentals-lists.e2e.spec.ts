import { startTestApp, TestApp } from '../support/test-app';

describe('Rental lists', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  /** Alice's five rentals in creation order (oldest first). */
  const aliceRentals: string[] = [];
  let bobRental: string;

  beforeAll(async () => {
    t = await startTestApp();
    alice = (await t.api('POST', '/v1/customers', { body: { full_name: 'Alice' } })).body.id;
    bob = (await t.api('POST', '/v1/customers', { body: { full_name: 'Bob' } })).body.id;
    for (let i = 0; i < 5; i++) {
      const body = { customer_id: alice, vehicle_id: i % 2 ? 'van-odd' : 'van-even', booking_id: `A-${i}` };
      aliceRentals.push((await t.api('POST', '/v1/rentals', { body })).body.id);
    }
    bobRental = (await t.api('POST', '/v1/rentals', { body: { customer_id: bob, vehicle_id: 'van-even', booking_id: 'B-0' } })).body.id;
    await t.api('PATCH', `/v1/rentals/${aliceRentals[0]}`, { body: { status: 'CANCELLED' } });
  });
  afterAll(() => t.close());

  const ids = (res: { body: { data: Array<{ id: string }> } }) => res.body.data.map((r) => r.id);

  it('lists newest first in the list envelope', async () => {
    const res = await t.api('GET', '/v1/rentals');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'list', has_more: false, next_cursor: null });
    expect(ids(res)).toEqual([bobRental, ...[...aliceRentals].reverse()]);
  });

  it.each([
    ['status', 'status=CANCELLED', () => [aliceRentals[0]]],
    ['customer', () => `customer=${bob}`, () => [bobRental]],
    ['vehicle_id', 'vehicle_id=van-odd', () => [aliceRentals[3], aliceRentals[1]]],
    ['booking_id', 'booking_id=A-2', () => [aliceRentals[2]]],
  ])('filters by %s', async (_name, query, expected) => {
    const q = typeof query === 'function' ? query() : query;
    expect(ids(await t.api('GET', `/v1/rentals?${q}`))).toEqual(expected());
  });

  it('combines filters', async () => {
    const res = await t.api('GET', `/v1/rentals?customer=${alice}&vehicle_id=van-even&status=NEW`);
    expect(ids(res)).toEqual([aliceRentals[4], aliceRentals[2]]);
  });

  it('pages forwards with next_cursor and back with ending_before, never repeating or skipping', async () => {
    const all = [bobRental, ...[...aliceRentals].reverse()];
    const first = await t.api('GET', '/v1/rentals?limit=2');
    expect(first.body).toMatchObject({ has_more: true, next_cursor: all[1] });
    expect(ids(first)).toEqual(all.slice(0, 2));
    // A rental created while paging sorts before page one: it cannot shift later pages.
    await t.api('POST', '/v1/rentals', { body: { customer_id: bob, vehicle_id: 'late' } });
    const second = await t.api('GET', `/v1/rentals?limit=2&starting_after=${first.body.next_cursor}`);
    expect(ids(second)).toEqual(all.slice(2, 4));
    const third = await t.api('GET', `/v1/rentals?limit=2&starting_after=${second.body.next_cursor}`);
    expect(ids(third)).toEqual(all.slice(4, 6));
    expect(third.body).toMatchObject({ has_more: false, next_cursor: null });
    const back = await t.api('GET', `/v1/rentals?limit=2&ending_before=${all[4]}`);
    expect(ids(back)).toEqual(all.slice(2, 4));
    expect(back.body).toMatchObject({ has_more: true, next_cursor: all[2] });
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'status=LOST', 'starting_after=re_unknown', 'colour=red'])(
    'rejects %s with a 400',
    async (query) => {
      const res = await t.api('GET', `/v1/rentals?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.type).toBe('invalid_request_error');
      expect(res.body.error.param).toBe(query.split('=')[0]);
    },
  );

  it("lists a customer's rentals at /v1/customers/{id}/rentals, with the same filters and paging", async () => {
    const res = await t.api('GET', `/v1/customers/${alice}/rentals?limit=3`);
    expect(ids(res)).toEqual([aliceRentals[4], aliceRentals[3], aliceRentals[2]]);
    expect(res.body).toMatchObject({ has_more: true, next_cursor: aliceRentals[2] });
    const next = await t.api('GET', `/v1/customers/${alice}/rentals?limit=3&starting_after=${aliceRentals[2]}`);
    expect(ids(next)).toEqual([aliceRentals[1], aliceRentals[0]]);
    expect(ids(await t.api('GET', `/v1/customers/${alice}/rentals?status=CANCELLED`))).toEqual([aliceRentals[0]]);
  });

  it("answers 404 for the rentals of a customer the key cannot see, and isolates lists", async () => {
    expect((await t.api('GET', '/v1/customers/cu_nope/rentals')).status).toBe(404);
    const foreign = await t.api('GET', `/v1/customers/${alice}/rentals`, { key: t.keys.other });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('resource_missing');
    expect((await t.api('GET', '/v1/rentals', { key: t.keys.other })).body.data).toEqual([]);
    expect((await t.api('GET', '/v1/rentals', { key: t.keys.live })).body.data).toEqual([]);
    expect((await t.api('GET', '/v1/rentals', { key: t.keys.testRead })).status).toBe(200);
    expect((await t.api('POST', '/v1/rentals', { key: t.keys.testRead, body: {} })).status).toBe(403);
  });
});
