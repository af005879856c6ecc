import { ChildProcess, spawn } from 'node:child_process';
import { READ_DB, ReadDb } from '../../src/shared/read-db/read-db.port';
import { mixedCustomerCommands } from '../support/mixed-commands';
import { ensureBuilt, ROOT } from '../support/process';
import { startTestApp, TestApp } from '../support/test-app';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * SPEC §7/§10 `projections status` and `projections rebuild` as an operator runs them: the
 * built CLI in its own process, against the data of a service that is running meanwhile
 * (here in-process, on the same data dir or database).
 */
describe('CLI: projections status and rebuild', () => {
  let t: TestApp;
  let db: ReadDb;
  const children = new Set<ChildProcess>();
  jest.setTimeout(120_000);

  beforeAll(async () => {
    await ensureBuilt();
    t = await startTestApp();
    db = t.app.get(READ_DB);
    await mixedCustomerCommands(t, 1500);
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await t.close();
  });

  function cli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Run> } {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: t.dataDir,
        EVENT_STORE: t.databaseUrl ? 'postgres' : 'sqlite',
        DATABASE_URL: t.databaseUrl ?? '',
        EVENTSTORE_CONNECTION_STRING: '',
        LOG_LEVEL: 'warn',
        ...env,
      },
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const done = new Promise<Run>((resolve) =>
      child.on('close', (code, signal) => (children.delete(child), resolve({ code, signal, stdout, stderr }))),
    );
    return { child, done };
  }

  const rows = () => db.all('SELECT * FROM rm_customers ORDER BY id');
  const rebuildCheckpoint = async () =>
    (await db.get<{ position: string }>("SELECT position FROM checkpoints WHERE name = 'customers:rebuild'"))?.position;
  const status = async () => {
    const run = await cli(['projections', 'status']).done;
    expect(run).toMatchObject({ code: 0 });
    return JSON.parse(run.stdout).projections as Array<Record<string, any>>;
  };

  it('status prints each read model with its position, the head, the lag and its state', async () => {
    const all = await status();
    expect(all.map((p) => p.name)).toEqual(expect.arrayContaining(['customers', 'events']));
    for (const projection of all) {
      expect(projection).toMatchObject({ state: 'live', lag: 0, position: projection.head });
      expect(BigInt(projection.head)).toBeGreaterThan(1000n);
    }
  });

  it('a rebuild killed with SIGKILL resumes from its own checkpoint and swaps in identical rows', async () => {
    const before = await rows();
    const slow = cli(['projections', 'rebuild', 'customers'], { RENVO_REBUILD_BATCH: '25', RENVO_REBUILD_PAUSE_MS: '20' });
    for (const deadline = Date.now() + 60_000; !((await rebuildCheckpoint()) ?? '0').match(/^[1-9]/); ) {
      if (Date.now() > deadline) throw new Error('the rebuild made no progress');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Mid-rebuild the API serves the old table as usual.
    expect((await t.api('GET', '/v1/customers?limit=5')).status).toBe(200);
    slow.child.kill('SIGKILL');
    expect((await slow.done).signal).toBe('SIGKILL');

    const stoppedAt = (await rebuildCheckpoint())!;
    const [customers] = (await status()).filter((p) => p.name === 'customers');
    expect(customers).toMatchObject({ state: 'rebuilding', rebuild: { position: stoppedAt } });
    expect(BigInt(stoppedAt)).toBeGreaterThan(0n);
    expect(BigInt(stoppedAt)).toBeLessThan(BigInt(customers.head));
    expect(await rows()).toEqual(before);

    const resumed = await cli(['projections', 'rebuild', 'customers']).done;
    expect(resumed).toMatchObject({ code: 0 });
    const [result] = JSON.parse(resumed.stdout).rebuilt;
    expect(result).toMatchObject({ name: 'customers', resumed_from: stoppedAt, position: customers.head });
    // Not a TTY: plain progress lines on stderr, stdout stays JSON.
    const last = `rebuild customers: ${customers.head}/${customers.head} events \\(100%\\).*caught up, resumed at ${stoppedAt}`;
    expect(resumed.stderr).toMatch(new RegExp(last));
    expect(await rows()).toEqual(before);
    expect(await rebuildCheckpoint()).toBeUndefined();

    // The serving process's runner keeps the swapped-in table current.
    const created = await t.api('POST', '/v1/customers', { body: { full_name: 'After The Rebuild', email: 'after@example.com' } });
    const listed = await t.api('GET', '/v1/customers?email=after@example.com');
    expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
    expect((await status()).every((p) => p.state === 'live' && p.lag === 0)).toBe(true);
  });

  it('rebuild --all rebuilds every read model; a wrong name or none is refused', async () => {
    const all = await cli(['projections', 'rebuild', '--all']).done;
    expect(all).toMatchObject({ code: 0 });
    expect(JSON.parse(all.stdout).rebuilt.map((r: { name: string }) => r.name)).toEqual((await status()).map((p) => p.name));
    const unknown = await cli(['projections', 'rebuild', 'nonsense']).done;
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No such read model: nonsense \(known: .*customers/);
    expect((await cli(['projections', 'rebuild']).done).code).toBe(1);
  });
});
