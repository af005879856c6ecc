import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, killStartedProcesses, request, runCli, ServiceProcess, startService } from '../support/process';

interface CliKey {
  id: string;
  mode: 'test' | 'live';
  scope: 'read' | 'read_write';
  secret: string;
}

describe('CLI: accounts and keys', () => {
  let dataDir: string;
  let service: ServiceProcess;
  beforeAll(async () => {
    await ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'renvo-cli-'));
    service = await startService(dataDir);
  });
  afterAll(async () => {
    await killStartedProcesses();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = (key: string, method: string, path: string, body?: unknown) => request(service.url, key, method, path, body);

  async function createAccount(name: string): Promise<{ account: { id: string; name: string }; keys: CliKey[] }> {
    const run = await runCli(dataDir, 'accounts', 'create', '--name', name);
    expect(run).toMatchObject({ code: 0 });
    return JSON.parse(run.stdout);
  }

  it('accounts create prints the account and a key for each mode and scope', async () => {
    const out = await createAccount('Acme');
    expect(out.account).toMatchObject({ id: expect.any(String), name: 'Acme' });
    expect(out.keys).toHaveLength(4);
    const combos = out.keys.map((k) => `${k.mode}/${k.scope}`).sort();
    expect(combos).toEqual(['live/read', 'live/read_write', 'test/read', 'test/read_write']);
    for (const key of out.keys) {
      expect(key.id).toEqual(expect.any(String));
      expect(key.secret).toMatch(new RegExp(`^rv_${key.mode}_\\S+$`));
    }
    expect(new Set(out.keys.map((k) => k.secret)).size).toBe(4);
  });

  it("the new account's keys work at once against the running service, each in its mode and scope", async () => {
    const { keys } = await createAccount('Acme Rentals');
    const key = (mode: string, scope: string) => keys.find((k) => k.mode === mode && k.scope === scope)!.secret;

    for (const mode of ['test', 'live']) {
      const created = await api(key(mode, 'read_write'), 'POST', '/v1/customers', { full_name: `Cli ${mode}` });
      expect(created.status).toBe(201);
      expect(created.body.livemode).toBe(mode === 'live');

      const list = await api(key(mode, 'read'), 'GET', '/v1/customers');
      expect(list.status).toBe(200);
      expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([created.body.id]);

      const refused = await api(key(mode, 'read'), 'POST', '/v1/customers', { full_name: 'Nope' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.type).toBe('permission_error');
    }
  });

  it('keys create --mode live --scope read prints a live read key that can GET but not POST', async () => {
    const { account } = await createAccount('Readers Inc');
    const run = await runCli(dataDir, 'keys', 'create', '--account', account.id, '--mode', 'live', '--scope', 'read');
    expect(run.code).toBe(0);
    const { key } = JSON.parse(run.stdout) as { key: CliKey };
    expect(key).toMatchObject({ id: expect.any(String), mode: 'live', scope: 'read' });
    expect(key.secret).toMatch(/^rv_live_/);

    const list = await api(key.secret, 'GET', '/v1/customers');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ object: 'list', data: [] });
    const post = await api(key.secret, 'POST', '/v1/customers', { full_name: 'Nope' });
    expect(post.status).toBe(403);
    expect((await api(key.secret, 'GET', '/v1/customers')).body.data).toEqual([]);
  });

  it('keys create for an unknown account exits non-zero, says why on stderr and creates no key', async () => {
    const run = await runCli(dataDir, 'keys', 'create', '--account', 'acct_doesnotexist', '--mode', 'test');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('acct_doesnotexist');
    expect(run.stdout).not.toMatch(/rv_(test|live)_/);
  });

  it('keys revoke of an unknown key id exits non-zero with a message on stderr', async () => {
    const run = await runCli(dataDir, 'keys', 'revoke', 'key_doesnotexist');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('key_doesnotexist');
  });

  it('keys revoke refuses the key in the running service', async () => {
    const { keys } = await createAccount('Revokers');
    const key = keys.find((k) => k.mode === 'test' && k.scope === 'read_write')!;
    expect((await api(key.secret, 'GET', '/v1/customers')).status).toBe(200);
    expect((await runCli(dataDir, 'keys', 'revoke', key.id)).code).toBe(0);
    const res = await api(key.secret, 'GET', '/v1/customers');
    expect(res.status).toBe(401);
    expect(res.body.error.type).toBe('authentication_error');
  });
});
