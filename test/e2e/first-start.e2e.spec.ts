import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, Exit, killStartedProcesses, request, runMain, startService } from '../support/process';

const keysIn = (text: string) => new Set(text.match(/rv_(test|live)_[A-Za-z0-9]+/g) ?? []);
const STACK_FRAME = /^\s+at .+(\(|:\d+)/m;

describe('first start', () => {
  let dataDir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'renvo-first-'));
  });
  afterAll(async () => {
    await killStartedProcesses();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('on an empty data dir, then again on the same dir', () => {
    let firstStop: Exit;
    let firstKey: string;

    it('prints exactly one rv_test_ key, and that key works', async () => {
      const service = await startService(dataDir);
      const keys = keysIn(service.stdout());
      expect([...keys]).toEqual([expect.stringMatching(/^rv_test_/)]);
      [firstKey] = [...keys];
      const list = await request(service.url, firstKey, 'GET', '/v1/customers');
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ object: 'list', data: [] });
      const created = await request(service.url, firstKey, 'POST', '/v1/customers', { full_name: 'First Customer' });
      expect(created.status).toBe(201);
      expect(created.body.livemode).toBe(false);
      firstStop = await service.stop('SIGTERM');
    });

    it('exits cleanly with code 0 on SIGTERM', () => {
      expect(firstStop).toBeDefined();
      expect({ code: firstStop.code, signal: firstStop.signal }).toEqual({ code: 0, signal: null });
      expect(firstStop.stderr).not.toMatch(STACK_FRAME);
    });

    it('prints no key when started again, and keeps the account, its key and its data', async () => {
      const service = await startService(dataDir);
      expect(keysIn(service.stdout()).size).toBe(0);
      const list = await request(service.url, firstKey, 'GET', '/v1/customers');
      expect(list.status).toBe(200);
      expect(list.body.data.map((c: { full_name: string }) => c.full_name)).toEqual(['First Customer']);
      await service.stop('SIGTERM');
    });
  });

  describe('bad settings', () => {
    it.each([
      ['PORT', { PORT: 'abc' }],
      ['EVENT_STORE', { EVENT_STORE: 'mongo' }],
      ['LOG_LEVEL', { LOG_LEVEL: 'chatty' }],
    ])('refuses a bad %s with a non-zero exit and a clear message, no stack trace', async (setting, env) => {
      const emptyDir = mkdtempSync(join(tmpdir(), 'renvo-badcfg-'));
      try {
        const exit = await runMain({ DATA_DIR: emptyDir, PORT: '0', ...env });
        expect(exit.code).not.toBe(0);
        expect(exit.code).not.toBeNull();
        expect(exit.stderr).toContain(setting);
        expect(exit.stderr + exit.stdout).not.toMatch(STACK_FRAME);
        expect(keysIn(exit.stdout).size).toBe(0);
      } finally {
        rmSync(emptyDir, { recursive: true, force: true });
      }
    });
  });
});
