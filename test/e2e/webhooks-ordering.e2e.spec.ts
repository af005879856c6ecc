import { MAX_IN_FLIGHT_PER_ENDPOINT } from '../../src/webhooks/delivery/webhook-dispatcher';
import { startTestApp, TestApp } from '../support/test-app';
import { eventually, ReceivedWebhook, WEBHOOK_TEST_ENV, WebhookEndpoints } from '../support/webhook-receiver';

/** SPEC §9 order and fairness: per-resource order, other resources and endpoints not held back. */
describe('Webhook ordering and backlog', () => {
  let t: TestApp;
  const hooks = new WebhookEndpoints(() => t, ['*']);
  beforeAll(async () => {
    // The second retry slot is far away: only a backlog release can beat it.
    t = await startTestApp({ ...WEBHOOK_TEST_ENV, WEBHOOK_RETRY_SCHEDULE: '200ms,20s,20s', WEBHOOK_TIMEOUT: '5s' });
  });
  afterAll(async () => {
    await t.close();
    await hooks.close();
  });

  const endpointFor = (enabledEvents?: string[]) => hooks.create(enabledEvents);
  const createCustomer = (full_name: string) => hooks.createCustomer(full_name);
  const about = (id: string) => (r: ReceivedWebhook) => r.event.data.object.id === id;

  it("holds a resource's later event until its earlier one got through, while other resources flow", async () => {
    const { receiver } = await endpointFor(['customer.created', 'customer.updated']);
    let a = '';
    // A's creation is refused once and told to come back in a second; A's update must wait with it.
    receiver.respond = (event) =>
      event.data.object.id === a && event.type === 'customer.created' && receiver.received.filter(about(a)).length === 0
        ? { status: 503, headers: { 'retry-after': '1' } }
        : { status: 200 };
    a = (await createCustomer('Resource A')).id;
    const b = (await createCustomer('Resource B')).id;
    await t.api('PATCH', `/v1/customers/${a}`, { body: { notes: 'second event of A' } });
    await t.api('PATCH', `/v1/customers/${b}`, { body: { notes: 'second event of B' } });

    await eventually(() => receiver.accepted().length === 4, 10_000, 'all four deliveries');
    const log = receiver.received.map((r) => `${r.event.data.object.id === a ? 'A' : 'B'}.${r.event.type.split('.')[1]}:${r.answered}`);
    expect(log.filter((l) => l.startsWith('A'))).toEqual(['A.created:503', 'A.created:200', 'A.updated:200']);
    expect(log.filter((l) => l.startsWith('B'))).toEqual(['B.created:200', 'B.updated:200']);
    // B did not wait for A's retry slot.
    expect(log.indexOf('B.updated:200')).toBeLessThan(log.indexOf('A.created:200'));
    expect(receiver.accepted().filter(about(a)).map((r) => r.event.data.object.version)).toEqual([1, 2]);
  });

  it('sends a recovered endpoint its backlog at once instead of at each retry slot', async () => {
    const { receiver, endpoint } = await endpointFor(['customer.created']);
    let down = true;
    receiver.respond = () => (down ? { status: 500 } : { status: 200 });
    const parked = [await createCustomer('Backlog 1'), await createCustomer('Backlog 2'), await createCustomer('Backlog 3')];
    // Each fails twice (now and after 200 ms) and is parked 20 s away.
    await eventually(() => receiver.received.length >= 6, 10_000, 'two failed attempts each');
    const started = Date.now();
    down = false;
    const fresh = await createCustomer('After recovery');
    await eventually(() => receiver.accepted().length === 4, 5_000, 'backlog after recovery');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(receiver.accepted().map((r) => r.event.data.object.id).sort()).toEqual([...parked, fresh].map((c) => c.id).sort());
    // The receiver answers before the dispatcher records the attempt: wait for the records.
    const statuses = async () =>
      (await t.api('GET', `/v1/webhook_endpoints/${endpoint.id}/deliveries`)).body.data.map((d: { status: string }) => d.status);
    await eventually(async () => (await statuses()).every((s: string) => s === 'succeeded'), 5_000, 'recorded successes');
    expect(await statuses()).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  });

  it('does not let one slow endpoint hold back another, and sends a slow one at most its share at once', async () => {
    const slow = await endpointFor(['customer.created']);
    const fast = await endpointFor(['customer.created']);
    slow.receiver.respond = () => ({ status: 200, delayMs: 3000 });
    const count = MAX_IN_FLIGHT_PER_ENDPOINT + 4;
    for (let i = 0; i < count; i++) await createCustomer(`Fairness ${i}`);
    await eventually(() => fast.receiver.accepted().length === count, 2_500, 'the fast endpoint to get everything');
    // The slow one holds exactly its share in flight; the rest wait for a free slot.
    await eventually(() => slow.receiver.received.length === MAX_IN_FLIGHT_PER_ENDPOINT, 2_500, 'the slow endpoint to be full');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slow.receiver.received.length).toBe(MAX_IN_FLIGHT_PER_ENDPOINT);
    await eventually(() => slow.receiver.accepted().length === count, 20_000, 'the slow endpoint to catch up');
  });
});
