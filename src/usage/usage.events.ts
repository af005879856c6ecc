import { CustomerStatus } from '../customers/customer.events';

/**
 * The usage ledger: one stream per customer (`customer_usage-cu_…`), the single place where
 * "may this customer use n more units" is decided, under the stream's expected revision
 * (see quota-ledger.ts for why one stream, and usage.decider.ts for the rules).
 */
export const USAGE_STREAM_PREFIX = 'customer_usage-';
export const usageStream = (customerId: string) => `${USAGE_STREAM_PREFIX}${customerId}`;

/**
 * What the customer's own stream says about quotas, as of `customer_revision` of it. The
 * customer stream is the truth; the ledger carries a copy so that a change of terms moves
 * the ledger's revision, and a usage decided on older terms can no longer be appended.
 */
export interface QuotaTerms {
  customer_id: string;
  account_id: string;
  livemode: boolean;
  customer_revision: number;
  plan_id: string | null;
  status: CustomerStatus;
  /** Start of the period series (quota-period.ts); null without a plan. */
  period_start: string | null;
}

export interface QuotaTermsChanged {
  type: 'QuotaTermsChanged';
  data: QuotaTerms & { changed_at: string };
}

/**
 * Units used. `rental_id` is set for the unit a rental uses, `record_id` for a
 * POST /usage made with an Idempotency-Key: both let a retry find it was already recorded.
 * `limit` is the quota it was measured against, null for unlimited.
 */
export interface UsageRecorded {
  type: 'UsageRecorded';
  data: {
    customer_id: string;
    quantity: number;
    rental_id: string | null;
    record_id: string | null;
    plan_id: string;
    limit: number | null;
    period_start: string;
    period_end: string;
    recorded_at: string;
  };
}

/** A rental's unit given back because the rental was never created (rental-units.ts). */
export interface UsageReleased {
  type: 'UsageReleased';
  data: { customer_id: string; rental_id: string; quantity: number; period_start: string; released_at: string };
}

export type UsageEvent = QuotaTermsChanged | UsageRecorded | UsageReleased;

export interface RentalUnit {
  period_start: string;
  quantity: number;
}

export interface UsageState {
  terms: QuotaTerms | null;
  /** The newest period with usage under the current period series, and its units. */
  window: { period_start: string; used: number } | null;
  /** Latest time this ledger recorded, so its clock never runs backwards. */
  last_at: string | null;
  /** Each rental's unit: where it was counted, or null once given back. */
  rental_units: Readonly<Record<string, RentalUnit | null>>;
  /** Ids of the latest keyed usage records: enough for a retry, bounded for a busy customer. */
  recent_records: readonly string[];
}

export const RECENT_RECORDS_KEPT = 1000;

export const initialUsageState = (): UsageState => ({
  terms: null,
  window: null,
  last_at: null,
  rental_units: {},
  recent_records: [],
});

export function evolveUsage(state: UsageState, event: UsageEvent): UsageState {
  switch (event.type) {
    case 'QuotaTermsChanged': {
      const { changed_at: _, ...terms } = event.data;
      // A new period series (attach, reset, detach) starts with nothing used.
      const sameSeries = state.terms?.period_start === terms.period_start;
      return { ...state, terms, window: sameSeries ? state.window : null };
    }
    case 'UsageRecorded': {
      const d = event.data;
      const used = state.window?.period_start === d.period_start ? state.window.used : 0;
      return {
        ...state,
        window: { period_start: d.period_start, used: used + d.quantity },
        last_at: state.last_at && state.last_at > d.recorded_at ? state.last_at : d.recorded_at,
        rental_units: d.rental_id
          ? { ...state.rental_units, [d.rental_id]: { period_start: d.period_start, quantity: d.quantity } }
          : state.rental_units,
        recent_records: d.record_id ? [...state.recent_records, d.record_id].slice(-RECENT_RECORDS_KEPT) : state.recent_records,
      };
    }
    case 'UsageReleased': {
      const d = event.data;
      const window =
        state.window?.period_start === d.period_start ? { ...state.window, used: state.window.used - d.quantity } : state.window;
      return { ...state, window, rental_units: { ...state.rental_units, [d.rental_id]: null } };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
