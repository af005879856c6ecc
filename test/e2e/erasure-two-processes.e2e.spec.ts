import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/shared/config/app-config';
import { describePostgres } from '../support/postgres';
import { call, startTestApp, TestApp } from '../support/test-app';

const DELIVERY = '9 Wrenfield Crescent, Amberlow AM3 8PZ';
const NAME = 'Cordelia Vantongeren-Ashby';

/**
 * SPEC §8 with two service processes on one PostgreSQL (a scaled-out deployment): a
 * customer erased through one is erased in the other at once, though the other read the
 * customer's key just before (each process caches keys).
 */
describePostgres('Erasure across two processes on one database', (pg) => {
  let a: TestApp;
  let b: { app: NestFastifyApplication; url: string; dataDir: string };
  const viaB = (method: string, path: string, body?: unknown) => call(b.url, a.keys.test, method, path, { body });

  beforeAll(async () => {
    const shared = { DATABASE_URL: pg.url(), EVENT_STORE: 'postgres' };
    a = await startTestApp(shared);
    const dataDir = mkdtempSync(join(tmpdir(), 'renvo-e2e-b-'));
    const app = await createApp(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ...shared }));
    await app.listen(0, '127.0.0.1');
    b = { app, dataDir, url: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
  });
  afterAll(async () => {
    await b.app.close();
    rmSync(b.dataDir, { recursive: true, force: true });
    await a.close();
  });

  it("the other process shows no personal data in histories, and seals none, right after the DELETE", async () => {
    const customer = (await a.api('POST', '/v1/customers', { body: { full_name: NAME } })).body;
    const rental = await a.api('POST', '/v1/rentals', {
      body: { customer_id: customer.id, vehicle_id: 'van-b', pickup_type: 'delivery', delivery_location: DELIVERY },
    });
    expect(rental.status).toBe(201);
    // Process b reads both histories now, so it holds the customer's key in its cache.
    expect(JSON.stringify((await viaB('GET', `/v1/rentals/${rental.body.id}/history`)).body)).toContain(DELIVERY);
    expect(JSON.stringify((await viaB('GET', `/v1/customers/${customer.id}/history`)).body)).toContain(NAME);

    expect((await a.api('DELETE', `/v1/customers/${customer.id}`)).status).toBe(200);

    // No waiting: well inside the key cache's lifetime. First a change without personal data,
    // whose reply shows the rental as b decodes it.
    const approved = await viaB('PATCH', `/v1/rentals/${rental.body.id}`, { status: 'APPROVED', start_date: '2027-05-01', end_date: '2027-05-03' });
    expect([approved.status, approved.body.status, approved.body.delivery_location]).toEqual([200, 'APPROVED', null]);
    const history = await viaB('GET', `/v1/rentals/${rental.body.id}/history`);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).not.toContain(DELIVERY);
    const asOf = await viaB('GET', `/v1/rentals/${rental.body.id}?version=1`);
    expect([asOf.status, asOf.body.delivery_location]).toEqual([200, null]);
    const refused = await viaB('PATCH', `/v1/rentals/${rental.body.id}`, { delivery_location: '1 Other Street' });
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'customer_deleted']);
    expect((await a.api('GET', `/v1/rentals/${rental.body.id}`)).body).toMatchObject({ status: 'APPROVED', delivery_location: null });
  });
});
