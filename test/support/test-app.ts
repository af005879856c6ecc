import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createApp } from '../../src/app.factory';
import { AccountsRepository } from '../../src/shared/auth/accounts.repository';
import { loadConfig } from '../../src/shared/config/app-config';

/** The store the e2e suite runs on: SQLite by default, PostgreSQL with RENVO_TEST_STORE=postgres. */
export const TEST_STORE = process.env.RENVO_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://renvo:renvo@127.0.0.1:5432/postgres';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestApp {
  url: string;
  dataDir: string;
  databaseUrl?: string;
  app: NestFastifyApplication;
  /** Keys of the main account (test and live mode) and of a second account. */
  keys: { test: string; testRead: string; live: string; other: string };
  keyIds: { test: string };
  api<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export interface RequestOptions {
  key?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** Starts the real app (real store, real HTTP on a random port) on a fresh data dir/database. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'renvo-e2e-'));
  const databaseUrl = TEST_STORE === 'postgres' ? await createDatabase() : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, EVENT_STORE: 'postgres' } : {}),
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const accounts = app.get(AccountsRepository);
  const main = await accounts.createAccount('Main');
  const other = await accounts.createAccount('Other');
  const test = await accounts.createKey(main.id, 'test', 'read_write');
  const keys = {
    test: test.secret,
    testRead: (await accounts.createKey(main.id, 'test', 'read')).secret,
    live: (await accounts.createKey(main.id, 'live', 'read_write')).secret,
    other: (await accounts.createKey(other.id, 'test', 'read_write')).secret,
  };
  return {
    url,
    dataDir,
    databaseUrl,
    app,
    keys,
    keyIds: { test: test.id },
    api: (method, path, options = {}) => call(url, keys.test, method, path, options),
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (databaseUrl) await dropDatabase(databaseUrl);
    },
  };
}

export async function call(url: string, defaultKey: string, method: string, path: string, options: RequestOptions) {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? defaultKey : options.key;
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(url + path, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

async function createDatabase(): Promise<string> {
  const name = `renvo_e2e_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
}
