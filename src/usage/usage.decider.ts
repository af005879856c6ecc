import { ConflictError, PaymentRequiredError } from '../shared/errors/api-error';
import { Decider } from '../shared/event-store/decider';
import { quotaPeriodAt } from './quota-period';
import { evolveUsage, initialUsageState, QuotaTerms, QuotaTermsChanged, UsageEvent, UsageRecorded, UsageState } from './usage.events';

/** What every quota decision is made on: the customer's terms, its plan's quota, the time. */
export interface QuotaInputs {
  terms: QuotaTerms;
  /** The plan's monthly_quota now; null is unlimited. */
  limit: number | null;
  now: Date;
}

export type UsageCommand =
  | { type: 'RecordUsage'; data: QuotaInputs & { quantity: number; recordId: string | null } }
  | { type: 'TakeRentalUnit'; data: QuotaInputs & { rentalId: string } }
  | { type: 'GiveBackRentalUnit'; data: { rentalId: string; now: Date } }
  | { type: 'SettleRentalUnit'; data: QuotaInputs & { rentalId: string } }
  | { type: 'SyncTerms'; data: { terms: QuotaTerms; now: Date } };

/** The command was built on customer terms older than the ledger's copy: decide again. */
export class StaleTermsError extends ConflictError {
  constructor() {
    super('concurrent_modification', 'The customer changed while usage was being recorded; retry the request.');
  }
}

export function decideUsage(command: UsageCommand, state: UsageState): UsageEvent[] {
  switch (command.type) {
    case 'RecordUsage': {
      const { quantity, recordId, ...inputs } = command.data;
      // A retry of a keyed request that was recorded before its reply was lost.
      if (recordId && state.recent_records.includes(recordId)) return [];
      const synced = syncTerms(state, inputs.terms, inputs.now);
      const usage = admit(synced.reduce(evolveUsage, state), inputs, quantity);
      return [...synced, recorded(usage, { rental_id: null, record_id: recordId })];
    }
    case 'TakeRentalUnit': {
      const { rentalId, ...inputs } = command.data;
      // SPEC §6: rentals of a customer without a plan are not limited, and record nothing.
      if (inputs.terms.plan_id === null || state.rental_units[rentalId]) return [];
      const synced = syncTerms(state, inputs.terms, inputs.now);
      const usage = admit(synced.reduce(evolveUsage, state), inputs, 1);
      return [...synced, recorded(usage, { rental_id: rentalId, record_id: null })];
    }
    case 'GiveBackRentalUnit': {
      const { rentalId, now } = command.data;
      const unit = state.rental_units[rentalId];
      if (!unit || !state.terms) return [];
      return [
        {
          type: 'UsageReleased',
          data: { customer_id: state.terms.customer_id, rental_id: rentalId, ...unit, released_at: now.toISOString() },
        },
      ];
    }
    case 'SettleRentalUnit': {
      const { rentalId, ...inputs } = command.data;
      // The rental exists but its unit was given back by a concurrent attempt at the same
      // rental that failed (rental-units.ts): count it again if the quota has room. Never
      // past the quota (SPEC §6: under any concurrency): when the room was taken meanwhile,
      // nothing is recorded and the rental stays uncounted, one unit in the customer's favour.
      // Not a 402 either: the rental exists, and nobody is asking for more units.
      if (state.rental_units[rentalId] !== null || inputs.terms.plan_id === null) return [];
      const synced = syncTerms(state, inputs.terms, inputs.now);
      const syncedState = synced.reduce(evolveUsage, state);
      const usage = measure(syncedState, inputs, 1);
      if (!fits(syncedState, usage, inputs.limit)) return [];
      return [...synced, recorded(usage, { rental_id: rentalId, record_id: null })];
    }
    case 'SyncTerms':
      return syncTerms(state, command.data.terms, command.data.now);
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

/** The ledger's copy of the terms catches up with the customer stream when they differ. */
function syncTerms(state: UsageState, terms: QuotaTerms, now: Date): QuotaTermsChanged[] {
  const current = state.terms;
  if (current && current.customer_revision > terms.customer_revision) throw new StaleTermsError();
  const same = current
    ? current.plan_id === terms.plan_id && current.status === terms.status && current.period_start === terms.period_start
    : terms.plan_id === null; // a customer that never had a plan has nothing to guard yet
  return same ? [] : [{ type: 'QuotaTermsChanged', data: { ...terms, changed_at: now.toISOString() } }];
}

type Measured = Omit<UsageRecorded['data'], 'rental_id' | 'record_id'>;

/** SPEC §6 refusals, in this order, each a 402 that records nothing. */
function admit(state: UsageState, inputs: QuotaInputs, quantity: number): Measured {
  const { terms, limit } = inputs;
  const id = terms.customer_id;
  if (terms.status === 'CANCELLED') throw new PaymentRequiredError('customer_cancelled', `Customer ${id} is CANCELLED; usage is refused.`);
  if (terms.status === 'PAUSED') {
    throw new PaymentRequiredError('customer_paused', `Customer ${id} is PAUSED; usage is refused until it is ACTIVE again.`);
  }
  if (terms.plan_id === null) {
    throw new PaymentRequiredError('no_plan', `Customer ${id} has no plan, so no quota; attach one with PATCH /v1/customers/${id}.`);
  }
  const usage = measure(state, inputs, quantity);
  if (!fits(state, usage, limit)) {
    throw new PaymentRequiredError(
      'quota_exceeded',
      `Customer ${id} has used ${usedIn(state, usage)} of ${limit} units in the period ending ${usage.period_end}; ${quantity} more would exceed the quota.`,
    );
  }
  return usage;
}

/** Units already used in the period `usage` falls in. */
function usedIn(state: UsageState, usage: Measured): number {
  return state.window?.period_start === usage.period_start ? state.window.used : 0;
}

/** The one quota rule every UsageRecorded obeys: the period's units stay within the limit. */
function fits(state: UsageState, usage: Measured, limit: number | null): boolean {
  return limit === null || usedIn(state, usage) + usage.quantity <= limit;
}

/**
 * Where the units fall: the period containing now, on a clock that never runs backwards
 * (two servers' clocks may disagree by a little; a unit must never land in a period the
 * ledger has already left, where it would not be counted against the current one).
 */
function measure(state: UsageState, { terms, limit, now }: QuotaInputs, quantity: number): Measured {
  const { plan_id, period_start } = terms;
  if (plan_id === null || period_start === null) throw new Error('usage measured for a customer without a plan');
  const at = state.last_at && Date.parse(state.last_at) > now.getTime() ? new Date(state.last_at) : now;
  return { customer_id: terms.customer_id, quantity, plan_id, limit, ...quotaPeriodAt(period_start, at), recorded_at: at.toISOString() };
}

function recorded(usage: Measured, ids: Pick<UsageRecorded['data'], 'rental_id' | 'record_id'>): UsageRecorded {
  return { type: 'UsageRecorded', data: { ...usage, ...ids } };
}

export const usageDecider: Decider<UsageState, UsageCommand, UsageEvent> = {
  initialState: initialUsageState,
  evolve: evolveUsage,
  decide: decideUsage,
};
