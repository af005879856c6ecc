import { externalIdStream } from '../../src/customers/external-id.reservation';
import { AccountsRepository } from '../../src/shared/auth/accounts.repository';
import { EVENT_STORE, EventStore } from '../../src/shared/event-store/event-store.port';
import { startTestApp, TestApp } from '../support/test-app';

describe('Customer updates, upserts and concurrency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const create = async (body: Record<string, unknown> = {}) =>
    (await t.api('POST', '/v1/customers', { body: { full_name: 'Pat Lee', ...body } })).body;
  const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    t.api('PATCH', `/v1/customers/${id}`, { body, headers });

  it('merges metadata, removes null keys, clears with null, and clears email/phone with null', async () => {
    const c = await create({ email: 'pat@example.com', phone: '+447700900123', metadata: { a: '1', b: '2' } });
    let res = await patch(c.id, { metadata: { b: null, c: '3' }, notes: 'VIP', email: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ metadata: { a: '1', c: '3' }, notes: 'VIP', email: null, version: 2 });
    expect(res.headers.get('etag')).toBe('"2"');
    res = await patch(c.id, { metadata: null, phone: null });
    expect(res.body).toMatchObject({ metadata: {}, phone: null, version: 3 });
    expect((await t.api('GET', `/v1/customers/${c.id}`)).body).toEqual(res.body);
  });

  it('appends nothing for a PATCH that changes nothing', async () => {
    const c = await create({ email: 'same@example.com' });
    const res = await patch(c.id, { full_name: 'Pat Lee', email: 'same@example.com' });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
    expect(res.body.updated_at).toBe(c.updated_at);
  });

  it('rejects clearing full_name and unknown statuses', async () => {
    const c = await create();
    expect((await patch(c.id, { full_name: null })).body.error.param).toBe('full_name');
    expect((await patch(c.id, { status: 'GONE' })).body.error.param).toBe('status');
    expect((await t.api('GET', `/v1/customers/${c.id}`)).body.version).toBe(1);
  });

  it('honours If-Match: a stale one is 412 and changes nothing, a current one succeeds', async () => {
    const c = await create();
    await patch(c.id, { notes: 'v2' });
    const stale = await patch(c.id, { notes: 'from a stale read' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.type).toBe('precondition_failed');
    expect((await t.api('GET', `/v1/customers/${c.id}`)).body).toMatchObject({ notes: 'v2', version: 2 });
    const fresh = await patch(c.id, { notes: 'v3' }, { 'if-match': '"2"' });
    expect(fresh.status).toBe(200);
    expect(fresh.body.version).toBe(3);
    expect((await patch(c.id, { notes: 'x' }, { 'if-match': 'garbage' })).status).toBe(400);
  });

  it('lets exactly one of many concurrent If-Match writers win', async () => {
    const c = await create();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => patch(c.id, { notes: `writer ${i}` }, { 'if-match': '"1"' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(9);
    expect((await t.api('GET', `/v1/customers/${c.id}`)).body.version).toBe(2);
  });

  it('keeps every concurrent PATCH without If-Match (retried on conflict, none lost)', async () => {
    const c = await create();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => patch(c.id, { metadata: { [`k${i}`]: 'v' } })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const final = (await t.api('GET', `/v1/customers/${c.id}`)).body;
    expect(Object.keys(final.metadata).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`).sort());
    expect(final.version).toBe(11);
  });

  it('upserts by external_id: 201 when new, 200 with the updated customer when it exists', async () => {
    const first = await t.api('POST', '/v1/customers', { body: { full_name: 'Ext One', external_id: 'crm-1' } });
    expect(first.status).toBe(201);
    const again = await t.api('POST', '/v1/customers', {
      body: { external_id: 'crm-1', email: 'ext@example.com', metadata: { src: 'crm' } },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, full_name: 'Ext One', email: 'ext@example.com', version: 2 });
    // Another account may use the same external_id for its own customer.
    const other = await t.api('POST', '/v1/customers', {
      key: t.keys.other,
      body: { full_name: 'Other', external_id: 'crm-1' },
    });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('makes one customer from 20 concurrent upserts of one external_id', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.api('POST', '/v1/customers', { body: { full_name: 'Racer', external_id: 'race-1' } }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const list = await t.api('GET', '/v1/customers?external_id=race-1');
    expect(list.body.data).toHaveLength(1);
  });

  it('completes a creation whose process died between reserving the external_id and creating', async () => {
    const key = await t.app.get(AccountsRepository).findBySecret(t.keys.test);
    const store = t.app.get<EventStore>(EVENT_STORE);
    // The state a crash leaves: the reservation exists, the customer stream does not.
    await store.appendToStream(
      externalIdStream(key!.accountId, false, 'half-done'),
      [{ type: 'ExternalIdReserved', schemaVersion: 1, data: { customer_id: 'cu_reservedEarlier' } }],
      { expectedRevision: 'no_stream' },
    );
    const res = await t.api('POST', '/v1/customers', { body: { full_name: 'Finally', external_id: 'half-done' } });
    expect(res.status).toBe(201);
    expect(res.body.id).toBe('cu_reservedEarlier');
    const again = await t.api('POST', '/v1/customers', { body: { external_id: 'half-done', email: 'fin@example.com' } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe('cu_reservedEarlier');
  });
});
