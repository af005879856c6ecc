/** One HTTP attempt of a delivery, as GET …/deliveries shows it (SPEC §9). */
export interface WebhookAttemptResource {
  attempted_at: string;
  /** null when no response arrived (timeout, connection refused, blocked address). */
  status_code: number | null;
  duration_ms: number;
  /** The first 1 KB of the response body. */
  response_excerpt: string | null;
  error: string | null;
  /** When the next attempt is due; null when this attempt ended the delivery. */
  next_retry_at: string | null;
}

/** The public webhook delivery object: one event sent (or to be sent) to one endpoint. */
export interface WebhookDeliveryResource {
  id: string;
  object: 'webhook_delivery';
  endpoint_id: string;
  event_id: string;
  event_type: string;
  resource_id: string;
  /** The resource's version in this event, so receivers can spot gaps. */
  resource_version: number | null;
  status: 'pending' | 'succeeded' | 'failed';
  attempt_count: number;
  next_attempt_at: string | null;
  created_at: string;
  completed_at: string | null;
  attempts: WebhookAttemptResource[];
}

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  resource_id: string;
  resource_version: number | null;
  status: WebhookDeliveryResource['status'];
  attempt_count: number;
  next_attempt_at: number | null;
  created_at: number;
  completed_at: number | null;
}

export interface AttemptRow {
  delivery_id: string;
  attempted_at: number;
  status_code: number | null;
  duration_ms: number;
  response_excerpt: string | null;
  error: string | null;
  next_retry_at: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toWebhookDeliveryResource(row: DeliveryRow, attempts: AttemptRow[]): WebhookDeliveryResource {
  return {
    id: row.id,
    object: 'webhook_delivery',
    endpoint_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type,
    resource_id: row.resource_id,
    resource_version: row.resource_version,
    status: row.status,
    attempt_count: row.attempt_count,
    next_attempt_at: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    created_at: new Date(row.created_at).toISOString(),
    completed_at: iso(row.completed_at),
    attempts: attempts.map((a) => ({
      attempted_at: new Date(a.attempted_at).toISOString(),
      status_code: a.status_code,
      duration_ms: a.duration_ms,
      response_excerpt: a.response_excerpt,
      error: a.error,
      next_retry_at: iso(a.next_retry_at),
    })),
  };
}
