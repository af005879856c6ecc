import { Agent, request } from 'undici';
import { blockedRange, BlockedAddressError, guardedConnector, ipLiteral } from './outbound-network.policy';
import { AttemptResult } from './retry-policy';

const EXCERPT_BYTES = 1024;
/** Past this much response body we stop reading (and give up the connection for reuse). */
const DRAIN_LIMIT_BYTES = 64 * 1024;

export interface SenderOptions {
  timeoutMs: number;
  allowPrivateNetworks: boolean;
  /** Connections kept per origin: matches the per-endpoint concurrency, so sends never queue in undici. */
  connectionsPerOrigin: number;
}

/** Thrown (not recorded as an attempt) when our own shutdown cut a send short. */
export class SendAbortedError extends Error {}

/**
 * POSTs one signed webhook. One keep-alive Agent for all endpoints (a pool per origin, so
 * consecutive deliveries to one receiver reuse a connection). Redirects are never followed:
 * undici 7's `request` only follows them through an interceptor we do not install, so a 3xx
 * comes back as a plain status and counts as a failure (SPEC §9).
 */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(private readonly options: SenderOptions) {
    this.agent = new Agent({
      connections: options.connectionsPerOrigin,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: options.allowPrivateNetworks ? { timeout: options.timeoutMs } : guardedConnector({ timeout: options.timeoutMs }),
    });
  }

  async send(url: string, body: string, headers: Record<string, string>, shutdown: AbortSignal): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const refusal = this.refuseLiteral(url);
    if (refusal) return { statusCode: null, durationMs: 0, responseExcerpt: null, error: refusal, retryAfter: null };
    // SPEC §9: the whole exchange, not just the headers, must finish within WEBHOOK_TIMEOUT.
    const signal = AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), shutdown]);
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        signal,
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Renvo-Webhooks/1.0' },
        body,
      });
      const statusCode = response.statusCode;
      const retryAfter = header(response.headers['retry-after']);
      // The status is the receiver's verdict; a body cut off by the deadline does not undo it.
      const responseExcerpt = await readExcerpt(response.body).catch(() => null);
      return { statusCode, durationMs: elapsed(), responseExcerpt, error: null, retryAfter };
    } catch (error) {
      if (shutdown.aborted) throw new SendAbortedError('shutdown');
      return { statusCode: null, durationMs: elapsed(), responseExcerpt: null, error: describe(error), retryAfter: null };
    }
  }

  /** An IP-literal URL never goes through DNS: check it before any packet is sent. */
  private refuseLiteral(url: string): string | null {
    if (this.options.allowPrivateNetworks) return null;
    const literal = ipLiteral(new URL(url).hostname);
    const range = literal && blockedRange(literal);
    return range ? new BlockedAddressError(literal!, literal!, range).message : null;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

async function readExcerpt(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let total = 0;
  for await (const chunk of body) {
    if (keptBytes < EXCERPT_BYTES) {
      kept.push(chunk.subarray(0, EXCERPT_BYTES - keptBytes));
      keptBytes += Math.min(chunk.length, EXCERPT_BYTES - keptBytes);
    }
    total += chunk.length;
    if (total > DRAIN_LIMIT_BYTES) break;
  }
  // stream mode holds back a multi-byte character cut at the limit instead of mangling it.
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(kept), { stream: true });
}

function header(value: string | string[] | undefined): string | null {
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** A short, stable reason for the attempt log: the SSRF refusal, a timeout, or the socket error. */
function describe(error: unknown): string {
  let current = error as (Error & { code?: string; cause?: unknown }) | undefined;
  for (let depth = 0; current && depth < 4; depth++, current = current.cause as typeof current) {
    if (current instanceof BlockedAddressError) return current.message;
  }
  const e = error as Error & { code?: string; name?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout: no complete response within the deadline';
  const code = e?.code ?? e?.cause?.code;
  const message = (e?.message || e?.cause?.message || String(error)).slice(0, 300);
  return code ? `${code}: ${message}` : message;
}
