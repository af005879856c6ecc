import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from './report.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function waitForLine(child, pattern, what) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${seen.slice(-500)}`)), 30_000);
    const onData = (chunk) => {
      seen += chunk;
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code}: ${seen.slice(-500)}`)));
  });
}

/**
 * The ceiling: a bare node:http server that reads and parses the JSON body and answers a
 * constant. Nothing a real endpoint does can be faster on this machine.
 */
export async function startBareServer() {
  const port = await freePort();
  const source = `
    require('node:http').createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        JSON.parse(body);
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end('{"id":"cu_constant","object":"customer"}');
      });
    }).listen(${port}, '127.0.0.1', () => console.log('listening'));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForLine(child, /listening/, 'bare server');
  return { url: `http://127.0.0.1:${port}`, stop: () => stop(child) };
}

/** NestJS + Fastify with an empty POST handler (lib/nest-floor.mjs): the framework's own cost. */
export async function startNestFloor() {
  const port = await freePort();
  const child = spawn(process.execPath, [join(REPO_DIR, 'bench/lib/nest-floor.mjs')], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForLine(child, /listening/, 'Nest floor server');
  return { url: `http://127.0.0.1:${port}`, stop: () => stop(child) };
}

/** The built service (dist/main.js) on a fresh SQLite data dir, with a key from the CLI. */
export async function startRenvo(env = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'renvo-bench-http-'));
  const settings = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env };
  const created = JSON.parse(
    execFileSync(process.execPath, [join(REPO_DIR, 'dist/cli.js'), 'accounts', 'create', '--name', 'bench'], {
      env: settings,
      encoding: 'utf8',
    }),
  );
  const key = created.keys.find((k) => k.mode === 'test' && k.scope === 'read_write').secret;
  const port = await freePort();
  const child = spawn(process.execPath, [join(REPO_DIR, 'dist/main.js')], {
    env: { ...settings, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = null;
  child.on('exit', (code) => (exited = code));
  await waitUntilReady(url, () => exited);
  return {
    url,
    key,
    async stop() {
      await stop(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(url, exitCode) {
  for (let i = 0; i < 300; i++) {
    if (exitCode() !== null) throw new Error(`renvo exited with ${exitCode()} before it was ready`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url}/readyz never answered`);
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
