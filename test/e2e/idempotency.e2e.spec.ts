import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from '../support/test-app';

describe('Idempotency-Key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const newKey = () => `idem-${randomUUID()}`;
  const post = (idempotencyKey: string, body: unknown, key?: string) =>
    t.api('POST', '/v1/customers', { body, key, headers: { 'idempotency-key': idempotencyKey } });
  const customersWithEmail = async (email: string, key?: string) =>
    (await t.api('GET', `/v1/customers?email=${encodeURIComponent(email)}&limit=100`, { key })).body.data;

  it('replays the first response for the same key and body, creating one customer', async () => {
    const key = newKey();
    const body = { full_name: 'Ida Potent', email: 'ida.replay@example.com' };
    const first = await post(key, body);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const again = await post(key, body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await customersWithEmail(body.email)).toHaveLength(1);
  });

  it('answers the same key with a different body with 400 idempotency_error, creating nothing', async () => {
    const key = newKey();
    const first = await post(key, { full_name: 'Original', email: 'idem.original@example.com' });
    expect(first.status).toBe(201);

    const other = await post(key, { full_name: 'Impostor', email: 'idem.impostor@example.com' });
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({ type: 'invalid_request_error', code: 'idempotency_error' });
    expect(await customersWithEmail('idem.impostor@example.com')).toEqual([]);
    expect(await customersWithEmail('idem.original@example.com')).toHaveLength(1);
  });

  it('scopes keys per account and mode: another account or mode reusing a key gets its own result', async () => {
    const key = newKey();
    const body = { full_name: 'Shared Key', email: 'idem.shared@example.com' };
    const mine = await post(key, body);
    const theirs = await post(key, body, t.keys.other);
    const live = await post(key, body, t.keys.live);
    for (const res of [mine, theirs, live]) {
      expect(res.status).toBe(201);
      expect(res.headers.get('idempotent-replayed')).toBeNull();
    }
    expect(new Set([mine.body.id, theirs.body.id, live.body.id]).size).toBe(3);
    expect(live.body.livemode).toBe(true);
    expect((await customersWithEmail(body.email, t.keys.other)).map((c: { id: string }) => c.id)).toEqual([theirs.body.id]);

    const replay = await post(key, body);
    expect(replay.body.id).toBe(mine.body.id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('answers 409 while the first request with the key is still running, then replays its result', async () => {
    const bus = t.app.get(CommandBus);
    const execute = bus.execute.bind(bus);
    let release!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inside = new Promise<void>((resolve) => (entered = resolve));
    // Holds the first request inside its handler, so it is deterministically in flight.
    const spy = jest.spyOn(bus, 'execute').mockImplementationOnce(async (command) => {
      entered();
      await gate;
      return execute(command);
    });
    try {
      const key = newKey();
      const body = { full_name: 'Slow Sally', email: 'idem.inflight@example.com' };
      const first = post(key, body);
      await inside;

      const concurrent = await post(key, body);
      expect(concurrent.status).toBe(409);
      expect(concurrent.body.error.type).toBe('conflict');
      expect(await customersWithEmail(body.email)).toEqual([]);

      release();
      const done = await first;
      expect(done.status).toBe(201);
      const retry = await post(key, body);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(done.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await customersWithEmail(body.email)).toHaveLength(1);
    } finally {
      release();
      spy.mockRestore();
    }
  });

  it('creates exactly one customer when 10 requests race with one key', async () => {
    const key = newKey();
    const body = { full_name: 'Racing Rita', email: 'idem.race@example.com' };
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(key, body)));
    const statuses = responses.map((r) => r.status);
    for (const status of statuses) expect([200, 201, 409]).toContain(status);
    const succeeded = responses.filter((r) => r.status === 200 || r.status === 201);
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    expect(new Set(succeeded.map((r) => r.body.id)).size).toBe(1);

    const customers = await customersWithEmail(body.email);
    expect(customers.map((c: { id: string }) => c.id)).toEqual([succeeded[0].body.id]);
    const retry = await post(key, body);
    expect(retry.body.id).toBe(succeeded[0].body.id);
  });

  it('replays a 400 validation failure for the same key and body', async () => {
    const key = newKey();
    const body = { full_name: 42, email: 'idem.invalid@example.com' };
    const first = await post(key, body);
    expect(first.status).toBe(400);
    expect(first.body.error).toMatchObject({ type: 'invalid_request_error', param: 'full_name' });

    const again = await post(key, body);
    expect(again.status).toBe(400);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('replays a PATCH without applying it again', async () => {
    const { body: customer } = await t.api('POST', '/v1/customers', { body: { full_name: 'Patchy Pat' } });
    const key = newKey();
    const patch = () =>
      t.api('PATCH', `/v1/customers/${customer.id}`, { body: { full_name: 'Pat Renamed' }, headers: { 'idempotency-key': key } });
    const first = await patch();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ full_name: 'Pat Renamed', version: 2 });

    // A change in between: a re-run of the PATCH would rename the customer back and bump its version.
    const between = await t.api('PATCH', `/v1/customers/${customer.id}`, { body: { full_name: 'Pat Again' } });
    expect(between.body.version).toBe(3);

    const replay = await patch();
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const current = await t.api('GET', `/v1/customers/${customer.id}`);
    expect(current.body).toMatchObject({ full_name: 'Pat Again', version: 3 });
  });
});
