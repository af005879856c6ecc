import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, killStartedProcesses, request, runCli, ServiceProcess, startService } from '../support/process';

/** Full waves before the last one, which the crash cuts short. */
const WAVES = 7;
const WAVE_SIZE = 25;

class HttpAnswer extends Error {}

/** Customer ids whose CustomerCreated event is in the log, and the log's head position. */
function readLog(dataDir: string): { created: string[]; head: number } {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const rows = db.prepare(`SELECT stream FROM events WHERE type = 'CustomerCreated'`).all() as { stream: string }[];
    const { head } = db.prepare('SELECT MAX(position) AS head FROM events').get() as { head: number };
    return { created: rows.map((r) => r.stream.replace(/^customer-/, '')), head };
  } finally {
    db.close();
  }
}

function readCheckpoints(dataDir: string): Record<string, number> {
  const db = new Database(join(dataDir, 'read.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT name, position FROM checkpoints').all() as { name: string; position: string }[];
    return Object.fromEntries(rows.map((r) => [r.name, Number(r.position)]));
  } finally {
    db.close();
  }
}

/**
 * Once `armed()`, polls read.sqlite and kills the service the moment an Idempotency-Key is
 * claimed but not yet answered.
 */
async function killWhenAClaimIsOpen(dataDir: string, service: ServiceProcess, armed: () => boolean): Promise<void> {
  const db = new Database(join(dataDir, 'read.sqlite'), { readonly: true });
  try {
    const open = db.prepare(`SELECT 1 FROM idempotency_keys WHERE status IS NULL AND idem_key LIKE 'Last wave %' LIMIT 1`);
    for (const deadline = Date.now() + 10_000; !(armed() && open.get()) && Date.now() < deadline; ) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    service.child.kill('SIGKILL');
  } finally {
    db.close();
  }
}

/** Keys claimed before the crash whose request never completed. */
function openClaims(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'read.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT idem_key FROM idempotency_keys WHERE status IS NULL').all() as { idem_key: string }[];
    return rows.map((r) => r.idem_key);
  } finally {
    db.close();
  }
}

describe('crash and restart', () => {
  let dataDir: string;
  let key: string;
  let service: ServiceProcess;
  const acknowledged: string[] = [];
  /** Creates of the last wave whose response the crash cut off. */
  const cutOff: string[] = [];
  let claimsOpenAtCrash: string[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'renvo-restart-'));
    const cli = await runCli(dataDir, 'accounts', 'create', '--name', 'Crash Test Rentals');
    expect(cli.code).toBe(0);
    key = JSON.parse(cli.stdout).keys.find((k: { mode: string; scope: string }) => k.mode === 'test' && k.scope === 'read_write').secret;

    // Waves of concurrent creates, then a last wave of creates sent back to back by every
    // worker; once another WAVE_SIZE were acknowledged, `kill -9` lands while one of them has
    // claimed its Idempotency-Key but not answered: ~WAVE_SIZE creates are in flight.
    const first = await startService(dataDir);
    // Each create carries an Idempotency-Key, as a careful client would, so it can be retried.
    const create = async (label: string) => {
      const res = await request(first.url, key, 'POST', '/v1/customers', { full_name: label }, { 'idempotency-key': label });
      if (res.status !== 201) throw new HttpAnswer(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
      acknowledged.push(res.body.id);
    };
    for (let wave = 0; wave < WAVES; wave++) {
      await Promise.all(Array.from({ length: WAVE_SIZE }, (_, i) => create(`Wave ${wave} #${i}`)));
    }
    const workers = Array.from({ length: WAVE_SIZE }, async (_, worker) => {
      for (let n = 0; ; n++) {
        const label = `Last wave ${worker}.${n}`;
        try {
          await create(label);
        } catch (error) {
          if (error instanceof HttpAnswer) throw error; // an answer, not a dropped connection
          cutOff.push(label);
          return;
        }
      }
    });
    await killWhenAClaimIsOpen(dataDir, first, () => acknowledged.length >= (WAVES + 1) * WAVE_SIZE);
    await Promise.all(workers);
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    claimsOpenAtCrash = openClaims(dataDir);
    service = await startService(dataDir);
  }, 60_000);

  afterAll(async () => {
    await killStartedProcesses();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = (method: string, path: string) => request(service.url, key, method, path);

  async function listAll(): Promise<Array<{ id: string; full_name: string }>> {
    const customers: Array<{ id: string; full_name: string }> = [];
    for (let cursor: string | null = null; ; ) {
      const page = await api('GET', `/v1/customers?limit=100${cursor ? `&starting_after=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      customers.push(...page.body.data);
      if (!page.body.has_more) return customers;
      cursor = customers[customers.length - 1].id;
    }
  }

  it('the kill interrupted requests in flight (the crash was real)', () => {
    expect(acknowledged.length).toBeGreaterThanOrEqual((WAVES + 1) * WAVE_SIZE);
    expect(cutOff).toHaveLength(WAVE_SIZE);
    expect(claimsOpenAtCrash.length).toBeGreaterThan(0);
    expect(cutOff).toEqual(expect.arrayContaining(claimsOpenAtCrash));
  });

  it('every acknowledged customer is retrievable after the restart', async () => {
    const missing: string[] = [];
    for (let i = 0; i < acknowledged.length; i += 25) {
      const batch = acknowledged.slice(i, i + 25);
      const results = await Promise.all(batch.map((id) => api('GET', `/v1/customers/${id}`)));
      results.forEach((res, j) => res.status !== 200 && missing.push(batch[j]));
    }
    expect(missing).toEqual([]);
  });

  it('the list holds exactly the customers whose CustomerCreated events are in the log, once each', async () => {
    const listed = (await listAll()).map((c) => c.id);
    const { created } = readLog(dataDir);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...created].sort());
    expect(created).toEqual(expect.arrayContaining(acknowledged));
  });

  it("the customers projection's checkpoint equals the log's head position after catching up", () => {
    const { head } = readLog(dataDir);
    const checkpoints = readCheckpoints(dataDir);
    expect(checkpoints.customers).toBe(head);
  });

  // Runs last: the retries append to the log.
  it('a create cut off by the crash can be retried with its Idempotency-Key and yields exactly one customer', async () => {
    const retries = await Promise.all(
      cutOff.map((label) =>
        request(service.url, key, 'POST', '/v1/customers', { full_name: label }, { 'idempotency-key': label }),
      ),
    );
    const refused = retries.map((r, i) => [cutOff[i], r.status]).filter(([, status]) => status !== 200 && status !== 201);
    expect(refused).toEqual([]);
    const names = (await listAll()).map((c) => c.full_name).filter((name) => cutOff.includes(name));
    expect(names.sort()).toEqual([...cutOff].sort());
  });
});
