import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Helpers for e2e tests that run the built service as a real process (`dist/main.js`, `dist/cli.js`). */
export const ROOT = join(__dirname, '..', '..');
const STAMP = join(ROOT, 'dist', '.e2e-build-stamp');
const LOCK = join(tmpdir(), 'renvo-e2e-build.lock');

/** Settings that would move a spawned process off the embedded store are blanked. */
const BASE_ENV = { EVENT_STORE: 'sqlite', DATABASE_URL: '', EVENTSTORE_CONNECTION_STRING: '', LOG_LEVEL: 'warn' };

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function stampTime(): number {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return 0;
  }
}

/** Compiles src/ to dist/ when it is stale; a lock keeps parallel test files from building at once. */
export async function ensureBuilt(): Promise<void> {
  if (stampTime() > newestSource(join(ROOT, 'src'))) return;
  for (const started = Date.now(); ; ) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (Date.now() - started > 60_000) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const sourceTime = newestSource(join(ROOT, 'src'));
    if (stampTime() <= sourceTime) {
      try {
        execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
        writeFileSync(STAMP, new Date().toISOString());
      } catch (error) {
        // tsc still emits on type errors (jest transpiles the in-process tests without a type
        // check too); only a build that produced nothing is fatal. No stamp: the next run retries.
        if (!existsSync(join(ROOT, 'dist', 'main.js'))) throw error;
      }
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * A TCP port that was free a moment ago, chosen below the kernel's ephemeral range: apps
 * that other tests start on port 0 take ephemeral ports, and could grab ours before the
 * spawned service binds it.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error('no free port found');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited and its output is complete. */
  exited: Promise<Exit>;
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

const running = new Set<ChildProcess>();

function collect(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  running.add(child);
  return { stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs `node dist/main.js` until it exits on its own (for settings it must refuse). */
export function runMain(env: Record<string, string>, timeoutMs = 15_000): Promise<Exit> {
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env: { ...process.env, ...BASE_ENV, ...env } });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return collect(child).exited.finally(() => clearTimeout(timer));
}

/**
 * Starts `node dist/main.js` on `dataDir` and a free port. Ready once its own log says it
 * listens on that port (so a stranger on the port cannot pass for it) and /healthz answers.
 */
export async function startService(dataDir: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, ...BASE_ENV, LOG_LEVEL: 'info', DATA_DIR: dataDir, PORT: String(port), ...env },
  });
  const output = collect(child);
  const url = `http://127.0.0.1:${port}`;
  let exit: Exit | null = null;
  void output.exited.then((e) => (exit = e));
  const listening = new RegExp(`listening at http://[^\\s"]+:${port}\\b`, 'i');
  for (const deadline = Date.now() + 20_000; ; ) {
    if (exit) throw new Error(`service exited before listening: ${JSON.stringify(exit)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service did not start in time:\n${output.stdout()}\n${output.stderr()}`);
    }
    try {
      if (listening.test(output.stdout()) && (await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    ...output,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return output.exited;
    },
  };
}

/** Runs `node dist/cli.js …args` with DATA_DIR=dataDir. */
export function runCli(dataDir: string, ...args: string[]): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['dist/cli.js', ...args],
      { cwd: ROOT, env: { ...process.env, ...BASE_ENV, DATA_DIR: dataDir } },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: unknown }).code as number) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, signal: null, stdout, stderr });
      },
    );
  });
}

/** Kills every process this test file started and has not seen exit (for afterAll). */
export async function killStartedProcesses(): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** Calls the API of a spawned service. */
export async function request(
  url: string,
  key: string | null,
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
) {
  const headers: Record<string, string> = { ...extraHeaders };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
