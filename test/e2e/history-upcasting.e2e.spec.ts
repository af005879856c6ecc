import { AccountsRepository } from '../../src/shared/auth/accounts.repository';
import { encryptValue } from '../../src/shared/crypto/personal-data-cipher';
import { SubjectKeyStore } from '../../src/shared/crypto/subject-key.store';
import { EVENT_STORE, EventStore } from '../../src/shared/event-store/event-store.port';
import { ProjectionRunner } from '../../src/shared/projections/projection-runner';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * SPEC §7: old event schemas are upcast when read, never rewritten. A CustomerCreated of
 * schema version 1 (the first API draft: `name`, not `full_name`) is appended through the
 * store port as an old deployment would have written it, encrypted like every personal value.
 */
describe('an event stored in an old schema version', () => {
  let t: TestApp;
  let store: EventStore;
  const id = 'cu_LegacyCustomer0001';
  const stream = `customer-${id}`;
  const createdAt = '2024-03-01T09:30:00.000Z';

  beforeAll(async () => {
    t = await startTestApp();
    store = t.app.get(EVENT_STORE);
    const { accountId } = (await t.app.get(AccountsRepository).findBySecret(t.keys.test))!;
    const key = await t.app.get(SubjectKeyStore).keyFor(id);
    const { position } = await store.appendToStream(
      stream,
      [
        {
          type: 'CustomerCreated',
          schemaVersion: 1,
          data: {
            customer_id: id,
            account_id: accountId,
            livemode: false,
            external_id: null,
            name: encryptValue(key, 'Legacy Lovelace'),
            email: encryptValue(key, 'legacy@example.com'),
            phone: null,
            preferred_language: 'en',
            source_channel: 'import',
            notes: null,
            metadata: {},
            status: 'ACTIVE',
            archived: false,
            created_at: createdAt,
          },
          metadata: { request_id: 'req_legacy', key_id: 'key_legacy', account_id: accountId, livemode: false },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await t.app.get(ProjectionRunner).waitFor(position);
  });
  afterAll(() => t.close());

  it('reads as the current schema everywhere: retrieve, as_of, history and the event log', async () => {
    const got = await t.api('GET', `/v1/customers/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, full_name: 'Legacy Lovelace', email: 'legacy@example.com', version: 1 });
    expect(got.body).not.toHaveProperty('name');

    expect((await t.api('GET', `/v1/customers/${id}?as_of=${createdAt}`)).body.full_name).toBe('Legacy Lovelace');
    expect((await t.api('GET', `/v1/customers/${id}?version=1`)).body.full_name).toBe('Legacy Lovelace');

    const history = await t.api('GET', `/v1/customers/${id}/history`);
    expect(history.body.data).toEqual([
      expect.objectContaining({
        version: 1,
        type: 'CustomerCreated',
        created_at: createdAt,
        actor: 'key_legacy',
        request_id: 'req_legacy',
        changes: expect.objectContaining({ full_name: { from: null, to: 'Legacy Lovelace' } }),
      }),
    ]);
    expect(history.body.data[0].changes).not.toHaveProperty('name');

    const events = await t.api('GET', `/v1/events?resource_id=${id}`);
    expect(events.body.data).toHaveLength(1);
    expect(events.body.data[0]).toMatchObject({
      type: 'customer.created',
      created_at: createdAt,
      data: { object: { full_name: 'Legacy Lovelace' } },
    });
  });

  it('keeps building on the upcast state: a PATCH changes it like any customer', async () => {
    const patched = await t.api('PATCH', `/v1/customers/${id}`, { body: { full_name: 'Ada Lovelace' } });
    expect(patched.body).toMatchObject({ full_name: 'Ada Lovelace', email: 'legacy@example.com', version: 2 });
    const [update] = (await t.api('GET', `/v1/events?resource_id=${id}`)).body.data;
    expect(update.data.previous_attributes).toEqual({ full_name: 'Legacy Lovelace' });
  });

  it('leaves the stored event exactly as it was written: version 1, `name`, still encrypted', async () => {
    const [stored] = await store.readStream(stream, { maxCount: 1 });
    expect(stored).toMatchObject({ type: 'CustomerCreated', schemaVersion: 1 });
    expect(stored.data).not.toHaveProperty('full_name');
    expect(String(stored.data.name)).toMatch(/^enc:v1:/);
  });
});
