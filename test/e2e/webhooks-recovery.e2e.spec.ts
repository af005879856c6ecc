import { startTestApp, TestApp } from '../support/test-app';
import { eventually, restartTestApp, WEBHOOK_TEST_ENV, WebhookEndpoints } from '../support/webhook-receiver';

/** Nothing lost across a restart; deliveries sent again on request (retry, replay). */
describe('Webhook recovery', () => {
  // Seven retries 300 ms apart: the backlog is still pending when the app restarts.
  const env = { ...WEBHOOK_TEST_ENV, WEBHOOK_RETRY_SCHEDULE: '300ms,300ms,300ms,300ms,300ms,300ms,300ms' };
  let t: TestApp;
  const hooks = new WebhookEndpoints(() => t, ['customer.created']);
  beforeAll(async () => {
    t = await startTestApp(env);
  });
  afterAll(async () => {
    await t.close();
    await hooks.close();
  });

  const endpointFor = (enabledEvents?: string[]) => hooks.create(enabledEvents);
  const createCustomer = (full_name: string) => hooks.createCustomer(full_name);
  const deliveries = async (endpointId: string) =>
    (await t.api('GET', `/v1/webhook_endpoints/${endpointId}/deliveries?limit=100`)).body.data;

  it('delivers the whole backlog after a restart, nothing lost', async () => {
    const { receiver, endpoint } = await endpointFor();
    let down = true;
    receiver.respond = () => (down ? { status: 500 } : { status: 200 });
    const customers: string[] = [];
    for (let i = 0; i < 10; i++) customers.push((await createCustomer(`Restart ${i}`)).id);
    await eventually(() => receiver.received.length >= 10, 10_000, 'first attempts');
    // These are appended right before shutdown: the fan-out may not have seen them yet.
    for (let i = 10; i < 15; i++) customers.push((await createCustomer(`Restart ${i}`)).id);

    await restartTestApp(t, env);
    down = false;
    await eventually(() => new Set(receiver.accepted().map((r) => r.event.data.object.id)).size === 15, 15_000, 'the backlog');
    expect(new Set(receiver.accepted().map((r) => r.event.data.object.id))).toEqual(new Set(customers));
    const list = await eventually(async () => {
      const data = await deliveries(endpoint.id);
      return data.length === 15 && data.every((d: { status: string }) => d.status === 'succeeded') && data;
    }, 10_000, 'every delivery to succeed');
    expect(new Set(list.map((d: { resource_id: string }) => d.resource_id))).toEqual(new Set(customers));
  });

  it('lets a send in flight at shutdown finish and records it, so it is not sent twice', async () => {
    const { receiver, endpoint } = await endpointFor();
    receiver.respond = () => ({ status: 200, delayMs: 800 });
    await createCustomer('In flight at shutdown');
    await eventually(() => receiver.received.length === 1, 10_000, 'the send to start');
    await restartTestApp(t, env);
    const [delivery] = await deliveries(endpoint.id);
    expect(delivery).toMatchObject({ status: 'succeeded', attempt_count: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a failed delivery on request', async () => {
    const { receiver, endpoint } = await endpointFor();
    receiver.respond = () => ({ status: 500 });
    await createCustomer('Retry me');
    const [failed] = await eventually(async () => {
      const data = await deliveries(endpoint.id);
      return data[0]?.status === 'failed' && data;
    }, 15_000, 'the delivery to fail');
    expect(failed.attempt_count).toBe(8);

    receiver.respond = () => ({ status: 200 });
    expect((await t.api('POST', `/v1/webhook_deliveries/${failed.id}/retry`, { key: t.keys.other })).status).toBe(404);
    const retried = await t.api('POST', `/v1/webhook_deliveries/${failed.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: failed.id, status: 'pending' });
    const [done] = await eventually(async () => {
      const data = await deliveries(endpoint.id);
      return data[0]?.status === 'succeeded' && data;
    }, 10_000, 'the retried delivery');
    expect(done.attempt_count).toBe(9);
    expect(receiver.accepted()).toHaveLength(1);
    expect((await t.api('POST', '/v1/webhook_deliveries/wdl_missing/retry')).status).toBe(404);
  });

  it('replays the events of a time range with their original webhook-id, even from before the endpoint existed', async () => {
    const since = new Date().toISOString();
    const early = await createCustomer('Replay 1');
    await t.api('PATCH', `/v1/customers/${early.id}`, { body: { notes: 'changed' } });
    const until = new Date(Date.now() + 1).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { receiver, endpoint } = await endpointFor(['customer.created', 'customer.updated']);
    await createCustomer('After the range');
    await eventually(() => receiver.accepted().length === 1, 10_000, 'the live delivery');

    const replay = await t.api('POST', `/v1/webhook_endpoints/${endpoint.id}/replay`, { body: { since, until } });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ object: 'webhook_replay', endpoint_id: endpoint.id, queued: 2 });
    await eventually(() => receiver.accepted().length === 3, 10_000, 'the replayed deliveries');
    const replayed = receiver.accepted().slice(1);
    expect(replayed.map((r) => [r.event.type, r.event.data.object.id])).toEqual([
      ['customer.created', early.id],
      ['customer.updated', early.id],
    ]);
    for (const r of replayed) expect(r.headers['webhook-id']).toBe(r.event.id);
    const events = (await t.api('GET', `/v1/events?resource_id=${early.id}`)).body.data;
    expect(replayed.map((r) => r.event.id).sort()).toEqual(events.map((e: { id: string }) => e.id).sort());

    const backwards = await t.api('POST', `/v1/webhook_endpoints/${endpoint.id}/replay`, { body: { since: until, until: since } });
    expect(backwards.status).toBe(400);
    const bad = await t.api('POST', `/v1/webhook_endpoints/${endpoint.id}/replay`, { body: { since: 'yesterday' } });
    expect(bad.body.error.param).toBe('since');
  });
});
