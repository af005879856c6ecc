import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../support/test-app';

// These tests read the event store's files, so they always run on the embedded store.
const EMBEDDED = { EVENT_STORE: 'sqlite', DATABASE_URL: '' };

/** Distinctive values, so a match in the files can only be this customer's data. */
const CREATED = {
  full_name: 'Zebulon Quixotic-Marchetti',
  email: 'zebulon.qm.7731@example.org',
  phone: '+14155557731',
  metadata: { loyalty_tier: 'Obsidian-Falcon-4471', licence: 'DL-QX-99812-ZM' },
};
const PATCHED = {
  full_name: 'Zebulon Q. Marchetti-Oyelaran',
  email: 'zqm.oyelaran.5528@example.net',
  phone: '+447700905528',
  notes: 'Prefers the teal convertible, allergic to pine air fresheners 8842',
  metadata: { loyalty_tier: 'Basalt-Heron-6190', emergency_contact: 'Oyelaran Ifeoluwa 0207-946-0311' },
};
const PLAINTEXTS = [
  ...[CREATED, PATCHED].flatMap((v) => [v.full_name, v.email, v.phone, ...Object.values(v.metadata)]),
  PATCHED.notes,
];

describe('personal data in the event store', () => {
  let t: TestApp;
  let customerId: string;
  const requestIds: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(EMBEDDED);
    const created = await t.api('POST', '/v1/customers', { body: CREATED });
    expect(created.status).toBe(201);
    customerId = created.body.id;
    requestIds.push(created.headers.get('request-id')!);
    const patched = await t.api('PATCH', `/v1/customers/${customerId}`, { body: PATCHED });
    expect(patched.status).toBe(200);
    requestIds.push(patched.headers.get('request-id')!);
  });
  afterAll(() => t.close());

  function eventStoreBytes(): Buffer {
    const files = ['events.sqlite', 'events.sqlite-wal'].map((f) => join(t.dataDir, f)).filter((f) => existsSync(f));
    return Buffer.concat(files.map((f) => readFileSync(f)));
  }

  function customerEvents() {
    const db = new Database(join(t.dataDir, 'events.sqlite'), { readonly: true });
    try {
      return db
        .prepare('SELECT type, data, metadata FROM events WHERE stream = ? ORDER BY revision')
        .all(`customer-${customerId}`) as Array<{ type: string; data: string; metadata: string }>;
    } finally {
      db.close();
    }
  }

  it('the API returns the personal data as sent', async () => {
    const got = await t.api('GET', `/v1/customers/${customerId}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      full_name: PATCHED.full_name,
      email: PATCHED.email,
      phone: PATCHED.phone,
      notes: PATCHED.notes,
      metadata: { ...CREATED.metadata, ...PATCHED.metadata },
    });
    const listed = await t.api('GET', `/v1/customers?email=${encodeURIComponent(PATCHED.email)}`);
    expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([customerId]);
  });

  it('no personal value, current or past, appears in plaintext in events.sqlite or its WAL', () => {
    const bytes = eventStoreBytes();
    // The customer's events are in these bytes: a check of the wrong files could not pass.
    expect(bytes.includes(`customer-${customerId}`)).toBe(true);
    expect(customerEvents().map((e) => e.type)).toEqual(['CustomerCreated', 'CustomerUpdated']);
    const found = PLAINTEXTS.filter((value) => bytes.includes(value) || bytes.includes(value.toLowerCase()));
    expect(found).toEqual([]);
  });

  it('no personal value appears in the stored event rows, as text or JSON-escaped', () => {
    const stored = JSON.stringify(customerEvents());
    const found = PLAINTEXTS.filter((value) => stored.includes(value) || stored.includes(JSON.stringify(value).slice(1, -1)));
    expect(found).toEqual([]);
  });

  it("stores each request's Request-Id and the acting key's id in its events' metadata", () => {
    const metadata = customerEvents().map((e) => JSON.parse(e.metadata));
    expect(metadata).toEqual([
      expect.objectContaining({ request_id: requestIds[0], key_id: t.keyIds.test }),
      expect.objectContaining({ request_id: requestIds[1], key_id: t.keyIds.test }),
    ]);
    expect(requestIds[0]).not.toBe(requestIds[1]);
  });
});

describe('personal data in a status change that carries other changes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(EMBEDDED);
  });
  afterAll(() => t.close());

  it('a PATCH that approves a rental and sets metadata is one event, its metadata sealed', async () => {
    const customer = (await t.api('POST', '/v1/customers', { body: { full_name: 'Ilse Varga' } })).body;
    const rental = (await t.api('POST', '/v1/rentals', { body: { customer_id: customer.id, vehicle_id: 'van-9', start_date: '2027-03-01', end_date: '2027-03-04' } })).body;
    const secret = 'gate code Quokka-Lantern-30517';
    const patched = await t.api('PATCH', `/v1/rentals/${rental.id}`, { body: { status: 'APPROVED', metadata: { access: secret } } });
    expect([patched.status, patched.body.error]).toEqual([200, undefined]);
    expect(patched.body).toMatchObject({ status: 'APPROVED', metadata: { access: secret }, version: 2 });
    const db = new Database(join(t.dataDir, 'events.sqlite'), { readonly: true });
    const rows = db
      .prepare('SELECT type, data FROM events WHERE stream = ? ORDER BY revision')
      .all(`rental-${rental.id}`) as Array<{ type: string; data: string }>;
    db.close();
    expect(rows.map((r) => r.type)).toEqual(['RentalCreated', 'RentalStatusChanged']);
    expect(JSON.parse(rows[1].data).changes.metadata.access).toMatch(/^enc:v1:/);
    const files = ['events.sqlite', 'events.sqlite-wal'].map((f) => join(t.dataDir, f)).filter((f) => existsSync(f));
    expect(Buffer.concat(files.map((f) => readFileSync(f))).includes(secret)).toBe(false);
    const history = await t.api('GET', `/v1/rentals/${rental.id}/history`);
    expect(history.body.data.map((e: { type: string }) => e.type)).toEqual(['RentalCreated', 'RentalStatusChanged']);
    expect(JSON.stringify(history.body.data[1])).toContain(secret);
  });
});
