import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics (SPEC §10). One registry per app instance, so tests that start
 * several apps in one process do not share counters.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'renvo_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'renvo_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'renvo_commands_total',
    help: 'Commands by stream category and outcome (appended, noop, conflict_retry, failed)',
    labelNames: ['category', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly appendedEvents = new Counter({
    name: 'renvo_events_appended_total',
    help: 'Events appended to the event store by this process',
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: 'renvo_projection_lag_events',
    help: 'Events in the log not yet applied by each projection (position difference for SQL stores)',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'renvo_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'renvo_' });
  }
}
