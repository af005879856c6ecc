/** What one HTTP attempt produced, as the dispatcher saw it. */
export interface AttemptResult {
  /** null when no response arrived (timeout, refused, blocked address). */
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  /** The raw Retry-After header of a 429/503, when sent. */
  retryAfter: string | null;
}

export interface AttemptDecision {
  outcome: 'succeeded' | 'retry' | 'failed';
  /** When to try again (only for 'retry'), epoch ms. */
  nextAttemptAt: number | null;
  /** SPEC §9: 410 Gone disables the endpoint at once. */
  disableEndpoint: boolean;
  /** The wait was the receiver's own Retry-After: a backlog release must not cut it short. */
  receiverAskedToWait: boolean;
}

/** A Retry-After further out than this is clamped, so a hostile value cannot park a delivery forever. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;
export const FAILING_ENDPOINT_DISABLED_AFTER_MS = 5 * 24 * 3_600_000;

/**
 * Decides what happens after attempt number `attempt` (1-based). A 2xx is success; any other
 * status (3xx included: redirects are not followed), a timeout or a network error is a
 * failure retried after schedule[attempt-1] until the schedule is used up. A 429/503 with
 * Retry-After takes that delay instead of the schedule's; a 410 is final and disables.
 */
export function decideAfterAttempt(result: AttemptResult, attempt: number, schedule: number[], now: number): AttemptDecision {
  const status = result.statusCode;
  if (status !== null && status >= 200 && status < 300) {
    return { outcome: 'succeeded', nextAttemptAt: null, disableEndpoint: false, receiverAskedToWait: false };
  }
  if (status === 410) return { outcome: 'failed', nextAttemptAt: null, disableEndpoint: true, receiverAskedToWait: false };
  if (attempt > schedule.length) {
    return { outcome: 'failed', nextAttemptAt: null, disableEndpoint: false, receiverAskedToWait: false };
  }
  const honoured = status === 429 || status === 503 ? parseRetryAfter(result.retryAfter, now) : null;
  const delay = honoured ?? schedule[attempt - 1];
  return { outcome: 'retry', nextAttemptAt: now + delay, disableEndpoint: false, receiverAskedToWait: honoured !== null };
}

/**
 * RFC 9110 §10.2.3: delay-seconds or an HTTP-date. Returns the delay in ms (0 for a date in
 * the past), or null when absent or unparseable, so the schedule applies.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // Only a date form (it names a weekday or a month): Date.parse would read "5" as a year.
  if (!/[A-Za-z]/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(at - now, 0), MAX_RETRY_AFTER_MS);
}

/** SPEC §9: an endpoint that has failed without a single success for 5 days is disabled. */
export function failingTooLong(failingSince: number | null, now: number): boolean {
  return failingSince !== null && now - failingSince >= FAILING_ENDPOINT_DISABLED_AFTER_MS;
}
