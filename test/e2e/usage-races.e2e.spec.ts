import { CustomerCodec } from '../../src/customers/customer.codec';
import { PlanCodec } from '../../src/plans/plan.codec';
import { ApiError } from '../../src/shared/errors/api-error';
import { EVENT_STORE, EventStore } from '../../src/shared/event-store/event-store.port';
import { Metrics } from '../../src/shared/metrics/metrics';
import { ProjectionRunner } from '../../src/shared/projections/projection-runner';
import { QuotaLedger } from '../../src/usage/quota-ledger';
import { UsageEvent, usageStream } from '../../src/usage/usage.events';
import { startTestApp, TestApp } from '../support/test-app';

/** SPEC §6: "under any concurrency a customer never goes over its quota". */
describe('Usage races', () => {
  let t: TestApp;
  let store: EventStore;
  beforeAll(async () => {
    t = await startTestApp();
    store = t.app.get(EVENT_STORE);
  });
  afterAll(() => t.close());

  const planWith = async (monthly_quota: number) => (await t.api('POST', '/v1/plans', { body: { name: 'Race', monthly_quota } })).body.id;
  const customerOn = async (planId: string) => (await t.api('POST', '/v1/customers', { body: { full_name: 'Racer', plan_id: planId } })).body.id;
  const use = (id: string, quantity = 1) => t.api('POST', `/v1/customers/${id}/usage`, { body: { quantity } });
  const statuses = (responses: Array<{ status: number }>) => responses.map((r) => r.status).sort();
  /** The ledger as the log has it, with no read model in between. */
  const ledger = async (id: string) => (await store.readStream(usageStream(id))).map((e) => ({ type: e.type, data: e.data }) as UsageEvent);
  const recordedUnits = (events: UsageEvent[]) =>
    events.reduce((sum, e) => sum + (e.type === 'UsageRecorded' ? e.data.quantity : e.type === 'UsageReleased' ? -e.data.quantity : 0), 0);

  it('accepts exactly 5 of 20 simultaneous usage calls against a quota of 5, and the log and GET agree', async () => {
    const id = await customerOn(await planWith(5));
    const results = await Promise.all(Array.from({ length: 20 }, () => use(id)));
    expect(statuses(results)).toEqual([...Array(5).fill(200), ...Array(15).fill(402)]);
    for (const refused of results.filter((r) => r.status === 402)) expect(refused.body.error.code).toBe('quota_exceeded');
    expect(recordedUnits(await ledger(id))).toBe(5);
    expect((await t.api('GET', `/v1/customers/${id}/usage`)).body.current).toEqual({ used: 5, limit: 5, remaining: 0, ok: false });
  });

  it('holds across ledgers that share nothing but the event store, like two server processes', async () => {
    const id = await customerOn(await planWith(5));
    // A second ledger: its own cache and its own in-process queue, so only the stream's
    // expected revision stands between it and this app's ledger.
    const other = new QuotaLedger(store, t.app.get(CustomerCodec), t.app.get(PlanCodec), t.app.get(ProjectionRunner), t.app.get(Metrics));
    const viaOther = () =>
      other
        .execute(id, { request_id: 'req_other' }, ({ terms, limit, now }) => ({
          type: 'RecordUsage',
          data: { quantity: 1, recordId: null, terms: terms!, limit, now },
        }))
        .then(
          () => 200,
          (error) => (error instanceof ApiError ? error.status : 500),
        );
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? use(id).then((r) => r.status) : viaOther())),
    );
    expect(outcomes.sort()).toEqual([...Array(5).fill(200), ...Array(15).fill(402)]);
    expect(recordedUnits(await ledger(id))).toBe(5);
    expect((await t.api('GET', `/v1/customers/${id}/usage`)).body.current.used).toBe(5);
  });

  it('creates exactly 3 of 10 simultaneous rentals against a quota of 3; the other 7 are 402 and leave no rental', async () => {
    const id = await customerOn(await planWith(3));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => t.api('POST', '/v1/rentals', { body: { customer_id: id, vehicle_id: `race-${i}` } })),
    );
    expect(statuses(results)).toEqual([...Array(3).fill(201), ...Array(7).fill(402)]);
    expect((await t.api('GET', `/v1/rentals?customer=${id}&limit=100`)).body.data).toHaveLength(3);
    expect((await t.api('GET', `/v1/customers/${id}/usage`)).body.current.used).toBe(3);
  });

  it('lands no unit after a concurrent pause has reached the ledger', async () => {
    const id = await customerOn(await planWith(1000));
    const calls = Array.from({ length: 15 }, () => use(id));
    const pause = t.api('PATCH', `/v1/customers/${id}`, { body: { status: 'PAUSED' } });
    const [paused, ...results] = await Promise.all([pause, ...calls]);
    expect(paused.status).toBe(200);
    for (const r of results) expect(r.status === 200 || r.body.error?.code === 'customer_paused').toBe(true);
    const events = await ledger(id);
    const pausedAt = events.findIndex((e) => e.type === 'QuotaTermsChanged' && e.data.status === 'PAUSED');
    expect(pausedAt).toBeGreaterThan(0);
    expect(events.slice(pausedAt).filter((e) => e.type === 'UsageRecorded')).toEqual([]);
    expect(recordedUnits(events)).toBe(results.filter((r) => r.status === 200).length);
    expect((await use(id)).body.error.code).toBe('customer_paused');
  });
});
