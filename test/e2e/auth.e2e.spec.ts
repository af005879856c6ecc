import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccountsRepository } from '../../src/shared/auth/accounts.repository';
import { ensureBuilt, killStartedProcesses, runCli } from '../support/process';
import { startTestApp, TestApp } from '../support/test-app';

// These tests look inside read.sqlite, so they always run on the embedded store.
const EMBEDDED = { EVENT_STORE: 'sqlite', DATABASE_URL: '' };

describe('API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    await ensureBuilt();
    t = await startTestApp(EMBEDDED);
  });
  afterAll(async () => {
    await killStartedProcesses();
    await t.close();
  });

  const expectAuthenticationError = (res: { status: number; body: any }) => {
    expect(res.status).toBe(401);
    expect(res.body.error.type).toBe('authentication_error');
  };

  describe('authentication', () => {
    it('answers a request without Authorization with 401 authentication_error', async () => {
      expectAuthenticationError(await t.api('GET', '/v1/customers', { key: null }));
      expectAuthenticationError(await t.api('POST', '/v1/customers', { key: null, body: { full_name: 'Nobody' } }));
    });

    it('answers an unknown key with 401, even one shaped like a real key', async () => {
      const forged = t.keys.test.slice(0, -4) + 'abcd';
      expectAuthenticationError(await t.api('GET', '/v1/customers', { key: forged }));
      expectAuthenticationError(await t.api('GET', '/v1/customers', { key: 'rv_test_unknown' }));
    });

    it.each([
      ['a Basic scheme', (k: string) => `Basic ${k}`],
      ['the bare key without a scheme', (k: string) => k],
      ['Bearer without a key', () => 'Bearer '],
      ['two tokens after Bearer', (k: string) => `Bearer ${k} extra`],
    ])('answers a malformed Authorization header (%s) with 401', async (_label, header) => {
      const res = await t.api('GET', '/v1/customers', { key: null, headers: { authorization: header(t.keys.test) } });
      expectAuthenticationError(res);
    });

    it('accepts a valid key', async () => {
      expect((await t.api('GET', '/v1/customers')).status).toBe(200);
    });
  });

  describe('scopes', () => {
    it('lets a read key GET but refuses its POST and PATCH with 403 permission_error, changing nothing', async () => {
      const { body: customer } = await t.api('POST', '/v1/customers', { body: { full_name: 'Scoped Sam' } });
      const before = await t.api('GET', '/v1/customers?limit=100', { key: t.keys.testRead });
      expect(before.status).toBe(200);
      expect(before.body.data.map((c: { id: string }) => c.id)).toContain(customer.id);
      expect((await t.api('GET', `/v1/customers/${customer.id}`, { key: t.keys.testRead })).status).toBe(200);

      const post = await t.api('POST', '/v1/customers', { key: t.keys.testRead, body: { full_name: 'Sneaky' } });
      expect(post.status).toBe(403);
      expect(post.body.error.type).toBe('permission_error');
      const patch = await t.api('PATCH', `/v1/customers/${customer.id}`, {
        key: t.keys.testRead,
        body: { full_name: 'Renamed' },
      });
      expect(patch.status).toBe(403);
      expect(patch.body.error.type).toBe('permission_error');

      const after = await t.api('GET', '/v1/customers?limit=100');
      expect(after.body.data).toEqual(before.body.data);
      const got = await t.api('GET', `/v1/customers/${customer.id}`);
      expect(got.body).toMatchObject({ full_name: 'Scoped Sam', version: 1 });
    });
  });

  describe('revocation', () => {
    it('refuses a key revoked through the CLI on the very next request', async () => {
      const accounts = t.app.get(AccountsRepository);
      const owner = await accounts.findBySecret(t.keys.test);
      const key = await accounts.createKey(owner!.accountId, 'test', 'read_write');
      expect((await t.api('GET', '/v1/customers', { key: key.secret })).status).toBe(200);

      const revoked = await runCli(t.dataDir, 'keys', 'revoke', key.id);
      expect(revoked.code).toBe(0);
      expect(JSON.parse(revoked.stdout)).toMatchObject({ id: key.id, revoked: true });

      expectAuthenticationError(await t.api('GET', '/v1/customers', { key: key.secret }));
      expectAuthenticationError(await t.api('POST', '/v1/customers', { key: key.secret, body: { full_name: 'Late' } }));
      expect((await t.api('GET', '/v1/customers')).status).toBe(200);
    });
  });

  describe('storage', () => {
    it('stores keys hashed: no secret appears in any column of api_keys or anywhere in read.sqlite', async () => {
      const secrets = Object.values(t.keys);
      const db = new Database(join(t.dataDir, 'read.sqlite'), { readonly: true });
      try {
        const rows = db.prepare('SELECT * FROM api_keys').all() as Record<string, unknown>[];
        expect(rows.length).toBeGreaterThanOrEqual(secrets.length);
        for (const row of rows) {
          for (const value of Object.values(row)) {
            for (const secret of secrets) {
              expect(String(value)).not.toContain(secret);
              expect(String(value)).not.toContain(secret.replace(/^rv_(test|live)_/, ''));
            }
          }
        }
      } finally {
        db.close();
      }
      const files = ['read.sqlite', 'read.sqlite-wal'].map((f) => join(t.dataDir, f)).filter((f) => existsSync(f));
      const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
      for (const secret of secrets) expect(bytes.includes(secret.replace(/^rv_(test|live)_/, ''))).toBe(false);
    });
  });

  describe('public routes', () => {
    it('serves /healthz without a key', async () => {
      const res = await t.api('GET', '/healthz', { key: null });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('serves /openapi.json without a key, listing the customer routes with their methods', async () => {
      const res = await t.api('GET', '/openapi.json', { key: null });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.paths['/v1/customers'])).toEqual(expect.arrayContaining(['get', 'post']));
      expect(Object.keys(res.body.paths['/v1/customers/{id}'])).toEqual(expect.arrayContaining(['get', 'patch']));
    });
  });
});
