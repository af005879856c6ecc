/**
 * A customer's quota period (SPEC §6): 30-day windows laid end to end from the moment the
 * period was last started (a plan attached, `reset_period`, an upsert that sets a plan).
 * Periods roll forward by arithmetic, not by a job: the current period is the window that
 * contains now, so nothing has to run at midnight for a quota to renew, and every reader
 * (decider, read model, API) derives the same window from the same two numbers.
 */
export const PERIOD_DAYS = 30;
export const PERIOD_MS = PERIOD_DAYS * 86_400_000;

export interface QuotaPeriod {
  period_start: string;
  period_end: string;
}

/**
 * The window containing `at`, counted from `anchor` (any window start of the series works:
 * they all lie on the same 30-day grid). A moment before the anchor (a clock a little behind
 * the one that started the period) falls in the first window, never in one before it.
 */
export function quotaPeriodAt(anchor: string, at: Date): QuotaPeriod {
  const origin = Date.parse(anchor);
  const elapsed = at.getTime() - origin;
  const index = elapsed < 0 ? 0 : Math.floor(elapsed / PERIOD_MS);
  const start = origin + index * PERIOD_MS;
  return { period_start: new Date(start).toISOString(), period_end: new Date(start + PERIOD_MS).toISOString() };
}

export type PeriodFields = { period_start: string | null; period_end: string | null };

/** `period_start` / `period_end` of a resource as they are at `at`; nulls stay nulls (no plan). */
export function currentPeriodFields(periodStart: string | null, at: Date): PeriodFields {
  return periodStart ? quotaPeriodAt(periodStart, at) : { period_start: null, period_end: null };
}

/** The window a period series starts with, as stored: readers roll it forward to now. */
export function firstPeriodFields(periodStart: string | null): PeriodFields {
  return periodStart ? quotaPeriodAt(periodStart, new Date(periodStart)) : { period_start: null, period_end: null };
}
