import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/shared/config/app-config';
import { call, TestApp } from './test-app';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** JSON.parse(body): the event object. */
  event: { id: string; type: string; data: { object: { id: string; version: number } } };
  /** The HTTP status this receiver answered with. */
  answered: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (a slow receiver). */
  delayMs?: number;
}

/** Decides the reply to each request; `n` counts requests from 1. */
export type Responder = (event: ReceivedWebhook['event'], n: number) => Reply;

/** Env for apps that deliver to this machine's receivers, with a retry schedule short enough for tests. */
export const WEBHOOK_TEST_ENV = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_RETRY_SCHEDULE: '100ms,200ms',
  WEBHOOK_TIMEOUT: '2s',
};

/** A real HTTP receiver on 127.0.0.1 that records every webhook it is sent. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  respond: Responder = () => ({ status: 200, body: 'ok' });
  /** TCP connections accepted: proves a refused destination was never even connected to. */
  connections = 0;
  private server?: Server;
  url = '';

  async start(path = '/hooks'): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const event = JSON.parse(body) as ReceivedWebhook['event'];
        const reply = this.respond(event, this.received.length + 1);
        this.received.push({ headers: req.headers, body, event, answered: reply.status });
        setTimeout(() => res.writeHead(reply.status, reply.headers).end(reply.body ?? ''), reply.delayMs ?? 0);
      });
    });
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
    return this;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** Successful deliveries of events of `type`, in arrival order. */
  accepted(type?: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.answered < 300 && (!type || r.event.type === type));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** Polls `check` until it returns a truthy value (which it returns) or the time is up. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  label = 'condition',
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Stops the app (graceful shutdown) and starts a new one on the same data dir / database,
 * as a redeploy would; keys and the outbox carry over. `t` is updated in place.
 */
export async function restartTestApp(t: TestApp, env: Record<string, string>): Promise<void> {
  await t.app.close();
  const config = loadConfig({
    DATA_DIR: t.dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl, EVENT_STORE: 'postgres' } : {}),
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  Object.assign(t, {
    app,
    url,
    api: (method: string, path: string, options = {}) => call(url, t.keys.test, method, path, options),
    // The original close() would shut the first app down a second time.
    close: async () => {
      await app.close();
      rmSync(t.dataDir, { recursive: true, force: true });
      if (t.databaseUrl) await dropDatabase(t.databaseUrl);
    },
  });
}

async function dropDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
}

/**
 * Endpoints of one test app, each with its own local receiver, and customers whose events
 * they receive. `close()` (in afterAll) stops every receiver it started.
 */
export class WebhookEndpoints {
  private readonly receivers: WebhookReceiver[] = [];

  constructor(
    private readonly app: () => TestApp,
    private readonly defaultEvents: string[],
  ) {}

  async create(enabledEvents: string[] = this.defaultEvents) {
    const receiver = await new WebhookReceiver().start();
    this.receivers.push(receiver);
    const { body } = await this.app().api('POST', '/v1/webhook_endpoints', {
      body: { url: receiver.url, enabled_events: enabledEvents },
    });
    return { receiver, endpoint: body as { id: string; secret: string } };
  }

  async createCustomer(full_name: string): Promise<{ id: string }> {
    return (await this.app().api('POST', '/v1/customers', { body: { full_name } })).body;
  }

  async close(): Promise<void> {
    await Promise.all(this.receivers.map((r) => r.close()));
  }
}
