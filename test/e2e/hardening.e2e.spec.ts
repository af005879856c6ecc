import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountsRepository } from '../../src/shared/auth/accounts.repository';
import { IdempotencyRecords } from '../../src/shared/idempotency/idempotency.records';
import { READ_DB, ReadDb } from '../../src/shared/read-db/read-db.port';
import { ensureBuilt, killStartedProcesses, request, runCli, startService } from '../support/process';
import { startTestApp, TestApp } from '../support/test-app';

/** Inputs found by review that once reached a 500, lost data or leaked it. */
describe('Hardening', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
    await killStartedProcesses();
  });
  const create = (body: Record<string, unknown>) => t.api('POST', '/v1/customers', { body });

  it('keeps metadata keys named like inherited functions, and refuses reserved ones out loud', async () => {
    const res = await create({ full_name: 'Proto', metadata: { toString: 'y', valueOf: 'v', ok: 'z' } });
    expect(res.status).toBe(201);
    expect(res.body.metadata).toEqual({ toString: 'y', valueOf: 'v', ok: 'z' });
    const reserved = await create({ full_name: 'Proto', metadata: { constructor: 'x' } });
    expect(reserved.status).toBe(400);
    expect(reserved.body.error).toMatchObject({ code: 'reserved_key', param: 'metadata.constructor' });
  });

  it('answers a body nested thousands of levels deep with a 400', async () => {
    const deep = `{"full_name":"x","metadata":{"a":${'['.repeat(3000)}${']'.repeat(3000)}}}`;
    const res = await t.api('POST', '/v1/customers', { rawBody: deep });
    expect(res.status).toBe(400);
    expect(res.body.error.type).toBe('invalid_request_error');
  });

  it('answers an undecodable URL in the error format', async () => {
    const res = await t.api('GET', '/v1/customers/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_url' });
  });

  it('refuses both cursors at once, a huge version, and accepts If-Match: *', async () => {
    const { body: c } = await create({ full_name: 'Cursor' });
    const both = await t.api('GET', `/v1/customers?starting_after=${c.id}&ending_before=${c.id}`);
    expect(both.status).toBe(400);
    expect(both.body.error.param).toBe('ending_before');
    const huge = await t.api('GET', `/v1/customers/${c.id}?version=99999999999999999999`);
    expect(huge.status).toBe(400);
    expect(huge.body.error.param).toBe('version');
    const star = await t.api('PATCH', `/v1/customers/${c.id}`, { body: { notes: 'x' }, headers: { 'if-match': '*' } });
    expect(star.status).toBe(200);
  });

  it('deletes idempotency records after 24 hours, so their responses do not linger', async () => {
    const res = await create({ full_name: 'Old key' });
    await t.api('POST', '/v1/customers', { body: { full_name: 'Kept' }, headers: { 'idempotency-key': 'old-one' } });
    const db = t.app.get<ReadDb>(READ_DB);
    const count = async () => (await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM idempotency_keys WHERE idem_key = 'old-one'"))!.n;
    expect(Number(await count())).toBe(1);
    const records = t.app.get(IdempotencyRecords);
    expect(await records.purgeExpired(Date.now())).toBe(0);
    expect(await records.purgeExpired(Date.now() + 25 * 3600 * 1000)).toBeGreaterThanOrEqual(1);
    expect(Number(await count())).toBe(0);
    expect(res.status).toBe(201);
    expect(await t.app.get(AccountsRepository).countAccounts()).toBeGreaterThan(0);
  });

  it('keeps query strings (personal data such as ?email=) out of the request log', async () => {
    await ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'renvo-log-'));
    try {
      const created = JSON.parse((await runCli(dir, 'accounts', 'create', '--name', 'Logs')).stdout);
      const key = created.keys.find((k: { mode: string; scope: string }) => k.mode === 'test' && k.scope === 'read').secret;
      const service = await startService(dir, { LOG_LEVEL: 'info' });
      const res = await request(service.url, key, 'GET', '/v1/customers?email=zebulon.secret%40example.org');
      expect(res.status).toBe(200);
      const { stdout } = await service.stop();
      expect(stdout).toContain('/v1/customers');
      expect(stdout).not.toMatch(/zebulon/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
