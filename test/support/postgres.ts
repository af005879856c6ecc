import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { redact } from '../../src/shared/event-store/postgres/postgres-event-store';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://renvo:renvo@127.0.0.1:5432/postgres';

export interface PostgresTestDatabase {
  /** URL of this test file's own database (created in beforeAll, dropped in afterAll). */
  url(): string;
  /** A new empty schema in that database, as a URL whose search_path points at it. */
  freshSchemaUrl(): Promise<string>;
}

/**
 * Registers `body` against a fresh, uniquely named database that lives as long as the test
 * file. Without a server the suite does not silently vanish: in CI it fails, locally it
 * says loudly that it was skipped (start one with .ci/postgres.sh).
 */
export function describePostgres(name: string, body: (db: PostgresTestDatabase) => void): void {
  const problem = probe(TEST_DATABASE_URL);
  if (problem) {
    const message = `PostgreSQL contract suite (no server at ${redact(TEST_DATABASE_URL)}: ${problem})`;
    if (process.env.CI) {
      describe(name, () =>
        it(`FAILED: ${message}`, () => {
          throw new Error(`CI must run the ${message}; run .ci/postgres.sh before the tests`);
        }),
      );
      return;
    }
    console.warn(`SKIPPED: ${message}`);
    describe(name, () => it(`SKIPPED: ${message}; run .ci/postgres.sh to include it`, () => undefined));
    return;
  }

  const database = `renvo_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(TEST_DATABASE_URL, database);
  describe(name, () => {
    beforeAll(() => admin(`CREATE DATABASE ${database}`));
    body({
      url: () => url,
      async freshSchemaUrl() {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE SCHEMA ${schema}`);
        } finally {
          await client.end();
        }
        const scoped = new URL(url);
        scoped.searchParams.set('options', `-c search_path=${schema}`);
        return scoped.toString();
      },
    });
    // Declared after the body's hooks, so it runs after them (jest runs afterAll hooks in
    // declaration order): the body's apps and pools close before FORCE cuts their connections.
    afterAll(() => admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Synchronous because jest registers tests synchronously: whether the suite runs has to be
 * known before `describe` returns. Returns why the server is unreachable, or null.
 */
function probe(url: string): string | null {
  const script = `
    const { Client } = require(process.env.PG_MODULE);
    const client = new Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.end()).then(
      () => process.exit(0),
      (error) => { process.stderr.write(String(error.message || error)); process.exit(1); });`;
  try {
    execFileSync(process.execPath, ['-e', script], {
      env: { ...process.env, PROBE_URL: url, PG_MODULE: require.resolve('pg') },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 10_000,
    });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || (error as Error).message;
  }
}
