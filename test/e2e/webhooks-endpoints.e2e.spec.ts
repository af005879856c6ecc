import { Webhook } from 'standardwebhooks';
import { startTestApp, TestApp } from '../support/test-app';
import { eventually, WEBHOOK_TEST_ENV, WebhookReceiver } from '../support/webhook-receiver';

describe('Webhook endpoints API', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    t = await startTestApp(WEBHOOK_TEST_ENV);
    receiver = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const create = (body: Record<string, unknown>, key?: string) => t.api('POST', '/v1/webhook_endpoints', { body, key });

  it('creates an endpoint and shows its secret in that response only', async () => {
    const res = await create({ url: 'https://example.com/hooks', enabled_events: ['customer.created'], description: 'CRM' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      object: 'webhook_endpoint',
      url: 'https://example.com/hooks',
      enabled_events: ['customer.created'],
      description: 'CRM',
      disabled: false,
      livemode: false,
    });
    expect(res.body.id).toMatch(/^we_/);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const got = await t.api('GET', `/v1/webhook_endpoints/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ ...res.body, secret: undefined });
    expect(got.body).not.toHaveProperty('secret');
    const list = await t.api('GET', '/v1/webhook_endpoints');
    expect(list.body.data.find((e: { id: string }) => e.id === res.body.id)).not.toHaveProperty('secret');
  });

  it.each([
    ['a missing url', { enabled_events: ['*'] }, 'url'],
    ['a url that is not http(s)', { url: 'ftp://example.com/x', enabled_events: ['*'] }, 'url'],
    ['a url that is not a URL', { url: 'not a url', enabled_events: ['*'] }, 'url'],
    ['missing enabled_events', { url: 'https://example.com' }, 'enabled_events'],
    ['an unknown event type', { url: 'https://example.com', enabled_events: ['customer.exploded'] }, 'enabled_events'],
    ['"*" mixed with types', { url: 'https://example.com', enabled_events: ['*', 'customer.created'] }, 'enabled_events'],
    ['an empty enabled_events', { url: 'https://example.com', enabled_events: [] }, 'enabled_events'],
    ['an unknown field', { url: 'https://example.com', enabled_events: ['*'], secret: 'mine' }, 'secret'],
  ])('rejects %s with a 400 naming the param', async (_label, body, param) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('requires https in live mode and allows http in test mode', async () => {
    const live = await create({ url: 'http://example.com/hooks', enabled_events: ['*'] }, t.keys.live);
    expect(live.status).toBe(400);
    expect(live.body.error.param).toBe('url');
    expect((await create({ url: 'https://example.com/hooks', enabled_events: ['*'] }, t.keys.live)).status).toBe(201);
    expect((await create({ url: 'http://example.com/hooks', enabled_events: ['*'] })).status).toBe(201);
    const { body } = await create({ url: 'http://example.com/a', enabled_events: ['*'] }, t.keys.test);
    const patch = await t.api('PATCH', `/v1/webhook_endpoints/${body.id}`, { body: { url: 'gopher://x' } });
    expect(patch.status).toBe(400);
  });

  it('updates fields, disables and re-enables', async () => {
    const { body: ep } = await create({ url: 'https://example.com/a', enabled_events: ['*'] });
    const patched = await t.api('PATCH', `/v1/webhook_endpoints/${ep.id}`, {
      body: { url: 'https://example.com/b', enabled_events: ['rental.completed'], description: null, disabled: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ url: 'https://example.com/b', enabled_events: ['rental.completed'], description: null, disabled: true });
    const enabled = await t.api('PATCH', `/v1/webhook_endpoints/${ep.id}`, { body: { disabled: false } });
    expect(enabled.body.disabled).toBe(false);
  });

  it('deletes an endpoint; afterwards it is a 404', async () => {
    const { body: ep } = await create({ url: 'https://example.com/a', enabled_events: ['*'] });
    const del = await t.api('DELETE', `/v1/webhook_endpoints/${ep.id}`);
    expect(del.body).toEqual({ id: ep.id, object: 'webhook_endpoint', deleted: true });
    expect((await t.api('GET', `/v1/webhook_endpoints/${ep.id}`)).status).toBe(404);
    expect((await t.api('DELETE', `/v1/webhook_endpoints/${ep.id}`)).status).toBe(404);
  });

  it("treats another account's or mode's endpoint exactly like a missing one", async () => {
    const { body: ep } = await create({ url: 'https://example.com/mine', enabled_events: ['*'] });
    for (const key of [t.keys.other, t.keys.live]) {
      expect((await t.api('GET', `/v1/webhook_endpoints/${ep.id}`, { key })).status).toBe(404);
      expect((await t.api('PATCH', `/v1/webhook_endpoints/${ep.id}`, { key, body: { disabled: true } })).status).toBe(404);
      expect((await t.api('POST', `/v1/webhook_endpoints/${ep.id}/rotate_secret`, { key })).status).toBe(404);
      expect((await t.api('GET', `/v1/webhook_endpoints/${ep.id}/deliveries`, { key })).status).toBe(404);
      expect((await t.api('DELETE', `/v1/webhook_endpoints/${ep.id}`, { key })).status).toBe(404);
      const list = await t.api('GET', '/v1/webhook_endpoints?limit=100', { key });
      expect(list.body.data.map((e: { id: string }) => e.id)).not.toContain(ep.id);
    }
    expect((await t.api('GET', `/v1/webhook_endpoints/${ep.id}`)).body.disabled).toBe(false);
  });

  it('pages the list newest first without repeats', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create({ url: `https://example.com/${i}`, enabled_events: ['*'] }, t.keys.other)).body.id);
    const first = await t.api('GET', '/v1/webhook_endpoints?limit=3', { key: t.keys.other });
    expect(first.body).toMatchObject({ object: 'list', has_more: true });
    const second = await t.api('GET', `/v1/webhook_endpoints?limit=3&starting_after=${first.body.next_cursor}`, { key: t.keys.other });
    expect(second.body.has_more).toBe(false);
    expect([...first.body.data, ...second.body.data].map((e: { id: string }) => e.id)).toEqual([...ids].reverse());
    expect((await t.api('GET', '/v1/webhook_endpoints?limit=101')).status).toBe(400);
  });

  it('rotates the secret: for 24 h both the old and the new secret verify a delivery', async () => {
    const { body: ep } = await create({ url: receiver.url, enabled_events: ['customer.created'] });
    const rotated = await t.api('POST', `/v1/webhook_endpoints/${ep.id}/rotate_secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(ep.secret);
    expect(rotated.body.id).toBe(ep.id);

    const { body: customer } = await t.api('POST', '/v1/customers', { body: { full_name: 'Rotation Check' } });
    const got = await eventually(() => receiver.accepted().find((r) => r.event.data.object.id === customer.id), 10_000, 'delivery');
    expect(String(got.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [ep.secret, rotated.body.secret]) {
      expect(() => new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    }
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(got.body, got.headers as Record<string, string>)).toThrow();
  });
});
