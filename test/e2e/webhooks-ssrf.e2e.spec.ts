import { startTestApp, TestApp } from '../support/test-app';
import { eventually, WEBHOOK_TEST_ENV, WebhookReceiver } from '../support/webhook-receiver';

/**
 * SPEC §9: with private networks not allowed (the default), nothing reaches loopback,
 * private, link-local or metadata addresses, whether named by a hostname that resolves
 * there or by an IP literal in any of its spellings. The receiver listens on 127.0.0.1 and
 * counts TCP connections: refused destinations are never even connected to.
 */
describe('Webhook SSRF protection', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    t = await startTestApp({ ...WEBHOOK_TEST_ENV, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false', WEBHOOK_RETRY_SCHEDULE: '50ms' });
    receiver = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  const targets = () => [
    ['a hostname that resolves to loopback', `http://localhost:${receiver.port}/hooks`],
    ['a loopback IPv4 literal', `http://127.0.0.1:${receiver.port}/hooks`],
    ['an IPv4-mapped IPv6 loopback literal', `http://[::ffff:127.0.0.1]:${receiver.port}/hooks`],
    ['the IPv6 loopback', `http://[::1]:${receiver.port}/hooks`],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data'],
    ['a private address', 'http://10.0.0.1/hooks'],
    ['the unspecified address', `http://0.0.0.0:${receiver.port}/hooks`],
  ];

  it('never delivers to internal addresses and records why each attempt failed', async () => {
    const endpoints: Array<{ label: string; id: string }> = [];
    for (const [label, url] of targets()) {
      const res = await t.api('POST', '/v1/webhook_endpoints', { body: { url, enabled_events: ['customer.created'] } });
      expect(res.status).toBe(201);
      endpoints.push({ label, id: res.body.id });
    }
    await t.api('POST', '/v1/customers', { body: { full_name: 'SSRF Probe' } });

    for (const { label, id } of endpoints) {
      const [delivery] = await eventually(async () => {
        const data = (await t.api('GET', `/v1/webhook_endpoints/${id}/deliveries`)).body.data;
        return data[0]?.status === 'failed' && data;
      }, 10_000, `the delivery to ${label} to fail`);
      expect(delivery.attempts).toHaveLength(2);
      for (const attempt of delivery.attempts) {
        expect(attempt.status_code).toBeNull();
        expect(attempt.error).toMatch(/SSRF protection/);
      }
    }
    expect(receiver.received).toEqual([]);
    expect(receiver.connections).toBe(0);
  });
});
