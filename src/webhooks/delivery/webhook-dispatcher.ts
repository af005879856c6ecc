import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../shared/config/app-config';
import { Metrics } from '../../shared/metrics/metrics';
import { SingleFlight } from '../../shared/single-flight';
import { DeliveryAttempts } from './delivery-attempts';
import { decideAfterAttempt } from './retry-policy';
import { DeliveryMessages } from './delivery-messages';
import { DueDelivery, WebhookOutbox } from './webhook-outbox';
import { SendAbortedError, WebhookSender } from './webhook-sender';

/**
 * Overall sends in flight, and per endpoint: one slow receiver holds at most its own share.
 * Under write load each send waits behind request work on the event loop (about 10 ms a
 * round trip at 600 writes/s), so a busy endpoint needs this many at once to keep up with
 * its events (bench/webhooks.bench.mjs: 4 kept 320 deliveries/s and fell seconds behind).
 */
export const MAX_IN_FLIGHT = 64;
export const MAX_IN_FLIGHT_PER_ENDPOINT = 16;
/** Upper bound on sleeping, so deliveries queued by another process are seen soon. */
const MAX_IDLE_MS = 1000;
/**
 * A claim outlives the send's own deadline by this much (time to record the result); after a
 * crash a claimed delivery waits this long past WEBHOOK_TIMEOUT before another try.
 */
const LEASE_MARGIN_MS = 10_000;
/** How long shutdown waits for in-flight sends before cutting them off (their leases are released). */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * Sends due deliveries from the outbox. Single-flight pump (like the projection runner):
 * woken by the fan-out, by each finished send, and by a timer set to the next retry; every
 * decision it acts on is re-read from the table, so memory holds only what is in flight.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger('WebhookDispatcher');
  private readonly sender: WebhookSender;
  private readonly inFlight = new Map<string, { endpointId: string; done: Promise<void> }>();
  private readonly shutdown = new AbortController();
  private readonly flight = new SingleFlight(
    () => this.pump().catch((error) => this.logger.error(`webhook dispatch failed, will retry: ${error?.stack ?? error}`)),
    () => void this.sleepUntilNextDue(),
  );
  private timer?: NodeJS.Timeout;
  private started = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: WebhookOutbox,
    private readonly attempts: DeliveryAttempts,
    private readonly messages: DeliveryMessages,
    private readonly metrics: Metrics,
  ) {
    this.sender = new WebhookSender({
      timeoutMs: config.webhookTimeoutMs,
      allowPrivateNetworks: config.webhookAllowPrivateNetworks,
      connectionsPerOrigin: MAX_IN_FLIGHT_PER_ENDPOINT,
    });
  }

  start(): void {
    this.started = true;
    this.wake();
  }

  wake(): void {
    if (this.started) this.flight.wake();
  }

  private async pump(): Promise<void> {
    for (;;) {
      const free = MAX_IN_FLIGHT - this.inFlight.size;
      if (free <= 0 || !this.started) return;
      const now = Date.now();
      const due = await this.outbox.due(now, free, this.busyEndpoints());
      const chosen = this.withinEndpointLimits(due);
      // Claimed together: on SQLite the writes share one group commit instead of one fsync each.
      const leaseUntil = now + this.config.webhookTimeoutMs + LEASE_MARGIN_MS;
      const claimed = await Promise.all(chosen.map((d) => this.outbox.claim(d, now, leaseUntil)));
      if (!this.started) {
        // Shutdown began while we claimed: give the leases back rather than send.
        await Promise.all(chosen.filter((_, i) => claimed[i]).map((d) => this.outbox.release(d.id)));
        return;
      }
      let started = 0;
      chosen.forEach((delivery, i) => {
        if (!claimed[i]) return;
        const done = this.send(delivery).finally(() => {
          this.inFlight.delete(delivery.id);
          this.wake();
        });
        this.inFlight.set(delivery.id, { endpointId: delivery.endpoint_id, done });
        started++;
      });
      if (started === 0) return;
    }
  }

  private async send(delivery: DueDelivery): Promise<void> {
    const attempt = delivery.attempt_count + 1;
    const attemptedAt = Date.now();
    try {
      const message = await this.messages.load(delivery, new Date(attemptedAt));
      const result = message.ok
        ? await this.sender.send(message.url, message.body, message.headers, this.shutdown.signal)
        : { statusCode: null, durationMs: 0, responseExcerpt: null, error: message.error, retryAfter: null };
      const decision = decideAfterAttempt(result, attempt, this.config.webhookRetrySchedule, Date.now());
      this.metrics.webhookDeliveries.inc({ outcome: decision.outcome });
      await this.attempts.record({ deliveryId: delivery.id, endpointId: delivery.endpoint_id, attempt, attemptedAt, result, decision });
    } catch (error) {
      if (error instanceof SendAbortedError) return void (await this.outbox.release(delivery.id).catch(() => undefined));
      // The lease stays: the delivery is tried again when it lapses, never lost.
      this.logger.error(`webhook delivery ${delivery.id} could not be recorded: ${(error as Error)?.stack ?? error}`);
    }
  }

  private async sleepUntilNextDue(): Promise<void> {
    if (!this.started) return;
    const now = Date.now();
    const next = await this.outbox.nextDueAt(now).catch(() => null);
    const delay = Math.min(next === null ? MAX_IDLE_MS : Math.max(next - now, 5), MAX_IDLE_MS);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), delay);
    this.timer.unref();
  }

  private inFlightPerEndpoint(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { endpointId } of this.inFlight.values()) counts.set(endpointId, (counts.get(endpointId) ?? 0) + 1);
    return counts;
  }

  private busyEndpoints(): string[] {
    return [...this.inFlightPerEndpoint()].filter(([, n]) => n >= MAX_IN_FLIGHT_PER_ENDPOINT).map(([id]) => id);
  }

  /** The due deliveries that fit under each endpoint's limit, counting what is already in flight. */
  private withinEndpointLimits(due: DueDelivery[]): DueDelivery[] {
    const counts = this.inFlightPerEndpoint();
    return due.filter((d) => {
      const n = counts.get(d.endpoint_id) ?? 0;
      if (n >= MAX_IN_FLIGHT_PER_ENDPOINT) return false;
      counts.set(d.endpoint_id, n + 1);
      return true;
    });
  }

  /** Graceful shutdown: no new sends; in-flight ones finish (bounded), the rest are released unsent. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    // The pump checks `started` after claiming, so once it returns nothing new is launched.
    await this.flight.stop();
    const inFlight = [...this.inFlight.values()].map((f) => f.done);
    const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
    await Promise.race([Promise.allSettled(inFlight), grace]);
    // Sends still running are cut off; each gives its lease back before `done` settles.
    this.shutdown.abort();
    await Promise.allSettled(inFlight);
    await this.sender.close();
  }
}
