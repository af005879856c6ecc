import { CustomerCodec } from '../../src/customers/customer.codec';
import { AccountsRepository } from '../../src/shared/auth/accounts.repository';
import { CustomerEvent, customerStream } from '../../src/customers/customer.events';
import { EVENT_STORE, EventStore } from '../../src/shared/event-store/event-store.port';
import { ProjectionRunner } from '../../src/shared/projections/projection-runner';
import { PERIOD_MS } from '../../src/usage/quota-period';
import { UsageEvent, usageStream } from '../../src/usage/usage.events';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * SPEC §6 periods roll forward on their own. Nobody waits 30 days: the customer's plan and
 * its past usage are appended back-dated through the event-store port, as the service itself
 * would have written them then, and the running service must treat that past as past.
 */
describe('Usage periods over time', () => {
  let t: TestApp;
  let store: EventStore;
  beforeAll(async () => {
    t = await startTestApp();
    store = t.app.get(EVENT_STORE);
  });
  afterAll(() => t.close());

  const iso = (ms: number) => new Date(ms).toISOString();

  /** A customer (created now, without a plan) whose plan was attached at `anchor`, with `usage` [ms, n] since. */
  async function customerWithPast(quota: number, anchor: number, usage: Array<[number, number]>): Promise<string> {
    const planId = (await t.api('POST', '/v1/plans', { body: { name: 'Monthly', monthly_quota: quota } })).body.id;
    const id = (await t.api('POST', '/v1/customers', { body: { full_name: 'Long-time Customer' } })).body.id;
    const { accountId } = (await t.app.get(AccountsRepository).findBySecret(t.keys.test))!;
    const attached: CustomerEvent = {
      type: 'CustomerUpdated',
      data: { customer_id: id, changes: { plan_id: planId, period_start: iso(anchor) }, updated_at: iso(anchor) },
    };
    const encoded = await t.app.get(CustomerCodec).encode(customerStream(id), [attached]);
    await store.appendToStream(customerStream(id), encoded, { expectedRevision: 0n });
    const terms = { customer_id: id, account_id: accountId, livemode: false, customer_revision: 1, plan_id: planId, status: 'ACTIVE' as const };
    const ledger: UsageEvent[] = [{ type: 'QuotaTermsChanged', data: { ...terms, period_start: iso(anchor), changed_at: iso(anchor) } }];
    for (const [at, quantity] of usage) {
      const start = anchor + Math.floor((at - anchor) / PERIOD_MS) * PERIOD_MS;
      const period = { period_start: iso(start), period_end: iso(start + PERIOD_MS) };
      ledger.push({
        type: 'UsageRecorded',
        data: { customer_id: id, quantity, rental_id: null, record_id: null, plan_id: planId, limit: quota, ...period, recorded_at: iso(at) },
      });
    }
    const stored = ledger.map((e) => ({ type: e.type, schemaVersion: 1, data: { ...e.data } }));
    const { position } = await store.appendToStream(usageStream(id), stored, { expectedRevision: 'no_stream' });
    await t.app.get(ProjectionRunner).waitFor(position);
    return id;
  }

  it('rolls into a new period 30 days after the last one started: the quota is whole again', async () => {
    const anchor = Date.now() - 31 * 86_400_000;
    const id = await customerWithPast(5, anchor, [[anchor + 3_600_000, 5]]);

    const customer = (await t.api('GET', `/v1/customers/${id}`)).body;
    expect(customer.period_start).toBe(iso(anchor + PERIOD_MS));
    expect(customer.period_end).toBe(iso(anchor + 2 * PERIOD_MS));
    const before = (await t.api('GET', `/v1/customers/${id}/usage`)).body;
    expect(before.current).toEqual({ used: 0, limit: 5, remaining: 5, ok: true });
    expect(before.history).toEqual([
      { period_start: iso(anchor + PERIOD_MS), period_end: iso(anchor + 2 * PERIOD_MS), used: 0, limit: 5 },
      { period_start: iso(anchor), period_end: iso(anchor + PERIOD_MS), used: 5, limit: 5 },
    ]);

    const res = await t.api('POST', `/v1/customers/${id}/usage`, { body: { quantity: 5 } });
    expect(res.status).toBe(200);
    expect(res.body.current).toEqual({ used: 5, limit: 5, remaining: 0, ok: false });
    expect(res.body.history.map((h: { used: number }) => h.used)).toEqual([5, 5]);
    expect((await t.api('POST', `/v1/customers/${id}/usage`, { body: { quantity: 1 } })).body.error.code).toBe('quota_exceeded');
  });

  it('still counts usage against the current period while it lasts', async () => {
    const anchor = Date.now() - 29 * 86_400_000;
    const id = await customerWithPast(5, anchor, [[anchor + 1000, 4]]);
    expect((await t.api('GET', `/v1/customers/${id}/usage`)).body.current).toMatchObject({ used: 4, remaining: 1 });
    expect((await t.api('POST', `/v1/customers/${id}/usage`, { body: { quantity: 2 } })).body.error.code).toBe('quota_exceeded');
  });

  it('keeps the last 24 periods in the history, newest first, the current one first', async () => {
    const anchor = Date.now() - 30 * PERIOD_MS - 1000;
    const past: Array<[number, number]> = Array.from({ length: 30 }, (_, i) => [anchor + i * PERIOD_MS + 1, i + 1]);
    const id = await customerWithPast(100, anchor, past);
    const { history, current, period_start } = (await t.api('GET', `/v1/customers/${id}/usage`)).body;
    expect(period_start).toBe(iso(anchor + 30 * PERIOD_MS));
    expect(current.used).toBe(0);
    expect(history).toHaveLength(24);
    expect(history[0]).toMatchObject({ period_start, used: 0 });
    expect(history.slice(1).map((h: { used: number }) => h.used)).toEqual(Array.from({ length: 23 }, (_, i) => 30 - i));
  });
});
