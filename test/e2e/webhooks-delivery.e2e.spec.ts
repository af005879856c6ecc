import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { READ_DB, ReadDb } from '../../src/shared/read-db/read-db.port';
import { startTestApp, TestApp } from '../support/test-app';
import { eventually, WEBHOOK_TEST_ENV, WebhookEndpoints } from '../support/webhook-receiver';

/** Delivery, signing and the receiver's verdicts (SPEC §9), against real local receivers. */
describe('Webhook delivery', () => {
  let t: TestApp;
  const hooks = new WebhookEndpoints(() => t, ['*']);
  beforeAll(async () => {
    t = await startTestApp(WEBHOOK_TEST_ENV);
  });
  afterAll(async () => {
    await t.close();
    await hooks.close();
  });

  const endpointFor = (enabledEvents?: string[]) => hooks.create(enabledEvents);
  const createCustomer = (full_name = 'Webhook Customer') => hooks.createCustomer(full_name);
  const deliveries = async (endpointId: string) => (await t.api('GET', `/v1/webhook_endpoints/${endpointId}/deliveries`)).body.data;
  const settled = (endpointId: string, count = 1) =>
    eventually(async () => {
      const data = await deliveries(endpointId);
      return data.length >= count && data.every((d: { status: string }) => d.status !== 'pending') && data;
    }, 10_000, 'deliveries to settle');

  it('sends the event object, signed per Standard Webhooks, verifiable by standardwebhooks and svix', async () => {
    const { receiver, endpoint } = await endpointFor(['customer.created']);
    const customer = await createCustomer();
    const [got] = await eventually(() => receiver.accepted().length > 0 && receiver.accepted(), 10_000, 'a delivery');
    const event = (await t.api('GET', `/v1/events/${got.event.id}`)).body;
    expect(JSON.parse(got.body)).toEqual(event);
    expect(event).toMatchObject({ object: 'event', type: 'customer.created', data: { object: { id: customer.id, version: 1 } } });
    expect(got.headers['webhook-id']).toBe(event.id);
    expect(got.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
    expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const headers = got.headers as Record<string, string>;
    expect(new StandardWebhook(endpoint.secret).verify(got.body, headers)).toEqual(event);
    expect(new SvixWebhook(endpoint.secret).verify(got.body, headers)).toEqual(event);
    const tampered = got.body.replace('customer.created', 'customer.deleted');
    expect(() => new StandardWebhook(endpoint.secret).verify(tampered, headers)).toThrow();
    expect(() => new SvixWebhook(endpoint.secret).verify(tampered, headers)).toThrow();
  });

  it('sends only the subscribed types and records each attempt', async () => {
    const { receiver, endpoint } = await endpointFor(['customer.updated']);
    const customer = await createCustomer();
    await t.api('PATCH', `/v1/customers/${customer.id}`, { body: { notes: 'VIP' } });
    const [delivery] = await settled(endpoint.id);
    expect(receiver.received.map((r) => r.event.type)).toEqual(['customer.updated']);
    expect(delivery).toMatchObject({
      object: 'webhook_delivery',
      endpoint_id: endpoint.id,
      event_type: 'customer.updated',
      resource_id: customer.id,
      resource_version: 2,
      status: 'succeeded',
      attempt_count: 1,
      next_attempt_at: null,
    });
    expect(delivery.attempts).toEqual([
      { attempted_at: expect.any(String), status_code: 200, duration_ms: expect.any(Number), response_excerpt: 'ok', error: null, next_retry_at: null },
    ]);
  });

  it('retries on the schedule, then marks the delivery failed, keeping 1 KB of each response', async () => {
    const { receiver, endpoint } = await endpointFor(['customer.created']);
    receiver.respond = () => ({ status: 500, body: 'x'.repeat(5000) });
    await createCustomer();
    const [delivery] = await settled(endpoint.id);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempt_count).toBe(3);
    expect(receiver.received).toHaveLength(3);
    expect(delivery.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 500, 500]);
    expect(delivery.attempts.map((a: { next_retry_at: string | null }) => a.next_retry_at === null)).toEqual([false, false, true]);
    expect(delivery.attempts[0].response_excerpt).toBe('x'.repeat(1024));
    const gaps = delivery.attempts.slice(1).map((a: { attempted_at: string }, i: number) =>
      Date.parse(a.attempted_at) - Date.parse(delivery.attempts[i].attempted_at));
    expect(gaps[0]).toBeGreaterThanOrEqual(100);
    expect(gaps[1]).toBeGreaterThanOrEqual(200);
  });

  it('does not follow a redirect: a 302 is a failure', async () => {
    const { receiver, endpoint } = await endpointFor(['customer.created']);
    const { receiver: target } = await endpointFor(['rental.cancelled']);
    receiver.respond = () => ({ status: 302, headers: { location: target.url } });
    await createCustomer();
    const [delivery] = await settled(endpoint.id);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([302, 302, 302]);
    expect(target.received).toEqual([]);
  });

  it('disables the endpoint at once on 410 Gone', async () => {
    const { receiver, endpoint } = await endpointFor(['customer.created']);
    receiver.respond = () => ({ status: 410 });
    await createCustomer();
    const [delivery] = await settled(endpoint.id);
    expect(delivery).toMatchObject({ status: 'failed', attempt_count: 1 });
    expect((await t.api('GET', `/v1/webhook_endpoints/${endpoint.id}`)).body.disabled).toBe(true);
    await createCustomer();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).toHaveLength(1);
    expect(await deliveries(endpoint.id)).toHaveLength(1);
  });

  it('disables an endpoint failing for 5 days straight; re-enabled, it gets what waited', async () => {
    const { receiver, endpoint } = await endpointFor(['customer.created']);
    receiver.respond = () => ({ status: 500 });
    // Five days of failures, compressed: the clock started before this test did.
    const db = t.app.get<symbol, ReadDb>(READ_DB);
    await db.run('UPDATE webhook_endpoints SET failing_since = $1 WHERE id = $2', [Date.now() - 5 * 86_400_000, endpoint.id]);
    const customer = await createCustomer();
    await eventually(async () => (await t.api('GET', `/v1/webhook_endpoints/${endpoint.id}`)).body.disabled, 10_000, 'disabled');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.received).toHaveLength(1);
    expect((await deliveries(endpoint.id))[0]).toMatchObject({ status: 'pending', attempt_count: 1 });

    receiver.respond = () => ({ status: 200 });
    await t.api('PATCH', `/v1/webhook_endpoints/${endpoint.id}`, { body: { disabled: false } });
    const [delivery] = await settled(endpoint.id);
    expect(delivery).toMatchObject({ status: 'succeeded', resource_id: customer.id, attempt_count: 2 });
  });

  it.each([
    ['seconds', () => '1'],
    ['an HTTP date', () => new Date(Date.now() + 2000).toUTCString()],
  ])('honours Retry-After given in %s on a 429', async (_label, retryAfter) => {
    const { receiver, endpoint } = await endpointFor(['customer.created']);
    receiver.respond = (_event, n) => (n === 1 ? { status: 429, headers: { 'retry-after': retryAfter() } } : { status: 200 });
    await createCustomer();
    const [delivery] = await settled(endpoint.id);
    expect(delivery.status).toBe('succeeded');
    const [first, second] = delivery.attempts;
    expect(first.status_code).toBe(429);
    // The schedule would have retried after 100 ms; the receiver asked for about a second.
    expect(Date.parse(second.attempted_at) - Date.parse(first.attempted_at)).toBeGreaterThanOrEqual(900);
  });
});
