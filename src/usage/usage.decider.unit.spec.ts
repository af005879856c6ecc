import { deciderSpec } from '../../test/support/decider-spec';
import { PERIOD_MS } from './quota-period';
import { StaleTermsError, UsageCommand, usageDecider } from './usage.decider';
import { QuotaTerms, UsageEvent } from './usage.events';

const spec = deciderSpec(usageDecider);
const t0 = new Date('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const iso = (ms: number) => at(ms).toISOString();
const DAY = 86_400_000;

const terms = (overrides: Partial<QuotaTerms> = {}): QuotaTerms => ({
  customer_id: 'cu_1',
  account_id: 'acct_1',
  livemode: false,
  customer_revision: 0,
  plan_id: 'pln_basic',
  status: 'ACTIVE',
  period_start: t0.toISOString(),
  ...overrides,
});

const termsChanged = (t: QuotaTerms, ms = 0): UsageEvent => ({ type: 'QuotaTermsChanged', data: { ...t, changed_at: iso(ms) } });

/** Units recorded at `ms` into the period series starting at `anchorMs` (t0 unless said). */
const recorded = (quantity: number, ms: number, extra: Partial<Extract<UsageEvent, { type: 'UsageRecorded' }>['data']> = {}, anchorMs = 0): UsageEvent => {
  const index = Math.floor((ms - anchorMs) / PERIOD_MS);
  return {
    type: 'UsageRecorded',
    data: {
      customer_id: 'cu_1',
      quantity,
      rental_id: null,
      record_id: null,
      plan_id: 'pln_basic',
      limit: 5,
      period_start: iso(anchorMs + index * PERIOD_MS),
      period_end: iso(anchorMs + (index + 1) * PERIOD_MS),
      recorded_at: iso(ms),
      ...extra,
    },
  };
};

const record = (quantity: number, ms: number, o: { terms?: QuotaTerms; limit?: number | null; recordId?: string } = {}): UsageCommand => ({
  type: 'RecordUsage',
  data: { quantity, recordId: o.recordId ?? null, terms: o.terms ?? terms(), limit: o.limit === undefined ? 5 : o.limit, now: at(ms) },
});
const rentalCommand = (type: 'TakeRentalUnit' | 'SettleRentalUnit', rentalId: string, ms: number, limit: number | null = 5): UsageCommand => ({
  type,
  data: { rentalId, terms: terms(), limit, now: at(ms) },
});
const giveBack = (rentalId: string, ms: number): UsageCommand => ({ type: 'GiveBackRentalUnit', data: { rentalId, now: at(ms) } });

const refused = (code: string) => expect.objectContaining({ status: 402, code });

describe('usage decider', () => {
  const base = termsChanged(terms());

  describe('when the ledger is new', () => {
    it('copies the terms, then records the units', () => {
      spec.given([]).when(record(2, 1000)).then([termsChanged(terms(), 1000), recorded(2, 1000)]);
    });

    it('refuses more units than the quota at once, recording nothing', () => {
      spec.given([]).when(record(6, 1000)).thenThrows(refused('quota_exceeded'));
    });

    it('refuses a customer without a plan, PAUSED or CANCELLED (status first)', () => {
      spec.given([]).when(record(1, 0, { terms: terms({ plan_id: null, period_start: null }) })).thenThrows(refused('no_plan'));
      spec.given([]).when(record(1, 0, { terms: terms({ status: 'PAUSED' }) })).thenThrows(refused('customer_paused'));
      spec.given([]).when(record(1, 0, { terms: terms({ status: 'CANCELLED', plan_id: null }) })).thenThrows(refused('customer_cancelled'));
    });
  });

  describe('when units were used in the current period', () => {
    const used4 = [base, recorded(3, 1000), recorded(1, 2000)];

    it('accepts units up to the quota exactly, and refuses one more', () => {
      spec.given(used4).when(record(1, 3000)).then([recorded(1, 3000)]);
      spec.given([...used4, recorded(1, 3000)]).when(record(1, 4000)).thenThrows(refused('quota_exceeded'));
      spec.given(used4).when(record(2, 3000)).thenThrows(refused('quota_exceeded'));
    });

    it('applies a changed quota to the current period from then on', () => {
      spec.given(used4).when(record(1, 3000, { limit: 4 })).thenThrows(refused('quota_exceeded'));
      spec.given(used4).when(record(6, 3000, { limit: 10 })).then([recorded(6, 3000, { limit: 10 })]);
    });

    it('never refuses an unlimited plan', () => {
      spec.given(used4).when(record(1000, 3000, { limit: null })).then([recorded(1000, 3000, { limit: null })]);
    });

    it('records a retried keyed request once', () => {
      const keyed = recorded(1, 3000, { record_id: 'ur_1' });
      spec.given(used4).when(record(1, 3000, { recordId: 'ur_1' })).then([keyed]);
      spec.given([...used4, keyed]).when(record(1, 4000, { recordId: 'ur_1' })).then([]);
    });
  });

  describe('when the period rolls over (injected clock)', () => {
    const full = [base, recorded(5, 1000)];

    it('still refuses one millisecond before the period ends', () => {
      spec.given(full).when(record(1, PERIOD_MS - 1)).thenThrows(refused('quota_exceeded'));
    });

    it('starts the next period with nothing used, with no job having run', () => {
      spec.given(full).when(record(5, PERIOD_MS)).then([recorded(5, PERIOD_MS)]);
      spec.given(full).when(record(5, 7 * PERIOD_MS + 3 * DAY)).then([recorded(5, 7 * PERIOD_MS + 3 * DAY)]);
    });

    it('counts a unit from a clock behind the ledger in the period the ledger is in', () => {
      const rolled = [...full, recorded(5, PERIOD_MS + 10)];
      spec.given(rolled).when(record(1, PERIOD_MS - 50)).thenThrows(refused('quota_exceeded'));
    });
  });

  describe('when the customer terms change', () => {
    const full = [base, recorded(5, 1000)];

    it('starts a fresh period on a reset: the new series has nothing used', () => {
      const reset = terms({ customer_revision: 1, period_start: iso(10 * DAY) });
      spec
        .given(full)
        .when(record(5, 10 * DAY, { terms: reset }))
        .then([termsChanged(reset, 10 * DAY), recorded(5, 10 * DAY, {}, 10 * DAY)]);
    });

    it('keeps the used units when the plan is switched within the period', () => {
      const pro = terms({ customer_revision: 1, plan_id: 'pln_pro' });
      spec.given(full).when(record(5, 2000, { terms: pro, limit: 10 })).then([termsChanged(pro, 2000), recorded(5, 2000, { plan_id: 'pln_pro', limit: 10 })]);
      spec.given(full).when(record(6, 2000, { terms: pro, limit: 10 })).thenThrows(refused('quota_exceeded'));
    });

    it('refuses the next usage once the plan is detached', () => {
      spec.given(full).when(record(1, 2000, { terms: terms({ customer_revision: 1, plan_id: null, period_start: null }) })).thenThrows(refused('no_plan'));
    });

    it('does not copy terms that did not change, and refuses terms older than its copy', () => {
      spec.given([base]).when(record(1, 2000, { terms: terms({ customer_revision: 3 }) })).then([recorded(1, 2000)]);
      const newer = termsChanged(terms({ customer_revision: 4, status: 'PAUSED' }));
      spec.given([newer]).when(record(1, 2000, { terms: terms({ customer_revision: 2 }) })).thenThrows(StaleTermsError);
    });

    it('copies changed terms on their own (SyncTerms), but not for a customer that never had a plan', () => {
      const paused = terms({ customer_revision: 1, status: 'PAUSED' });
      spec.given(full).when({ type: 'SyncTerms', data: { terms: paused, now: at(5) } }).then([termsChanged(paused, 5)]);
      spec.given([]).when({ type: 'SyncTerms', data: { terms: terms({ plan_id: null, period_start: null }), now: at(5) } }).then([]);
    });
  });

  describe("a rental's unit", () => {
    const unit = (rentalId: string, ms: number) => recorded(1, ms, { rental_id: rentalId });
    const released = (rentalId: string, ms: number): UsageEvent => ({
      type: 'UsageReleased',
      data: { customer_id: 'cu_1', rental_id: rentalId, quantity: 1, period_start: t0.toISOString(), released_at: iso(ms) },
    });

    it('is taken once per rental, however often the create is retried', () => {
      spec.given([base]).when(rentalCommand('TakeRentalUnit', 're_1', 10)).then([unit('re_1', 10)]);
      spec.given([base, unit('re_1', 10)]).when(rentalCommand('TakeRentalUnit', 're_1', 20)).then([]);
    });

    it('is refused over quota (402, so no rental), and not taken without a plan', () => {
      spec.given([base, recorded(5, 5)]).when(rentalCommand('TakeRentalUnit', 're_1', 10)).thenThrows(refused('quota_exceeded'));
      const noPlan: UsageCommand = { type: 'TakeRentalUnit', data: { rentalId: 're_1', terms: terms({ plan_id: null, period_start: null }), limit: null, now: at(1) } };
      spec.given([]).when(noPlan).then([]);
    });

    it('is given back once when the rental was not created, freeing its place in the period', () => {
      const atLimit = [base, recorded(4, 5), unit('re_1', 10)];
      spec.given(atLimit).when(giveBack('re_1', 20)).then([released('re_1', 20)]);
      spec.given([...atLimit, released('re_1', 20)]).when(giveBack('re_1', 30)).then([]);
      spec.given([...atLimit, released('re_1', 20)]).when(rentalCommand('TakeRentalUnit', 're_2', 30)).then([unit('re_2', 30)]);
    });

    it('is counted again when the rental turns out to exist after it was given back (settle)', () => {
      const givenBack = [base, unit('re_1', 10), released('re_1', 20), recorded(4, 25)];
      spec.given(givenBack).when(rentalCommand('SettleRentalUnit', 're_1', 30)).then([unit('re_1', 30)]);
      spec.given([...givenBack, unit('re_1', 30)]).when(rentalCommand('SettleRentalUnit', 're_1', 40)).then([]);
    });

    it('is not counted twice: settling a unit still counted, or never taken, records nothing', () => {
      spec.given([base, unit('re_1', 10)]).when(rentalCommand('SettleRentalUnit', 're_1', 30)).then([]);
      spec.given([base]).when(rentalCommand('SettleRentalUnit', 're_1', 30)).then([]);
    });

    it('is never counted again past the quota: the freed room went to other usage, the rental stays uncounted (F3)', () => {
      // quota 1: A took the unit, B created the rental on it, A failed and gave it back, C used the room.
      const full = [base, unit('re_1', 10), released('re_1', 20), recorded(1, 25)];
      spec.given(full).when(rentalCommand('SettleRentalUnit', 're_1', 30, 1)).then([]);
      // quota 5, used 5 by others after the release: the same, a re-count never makes it 6.
      spec.given([base, unit('re_1', 10), released('re_1', 20), recorded(5, 25)]).when(rentalCommand('SettleRentalUnit', 're_1', 30)).then([]);
      // Once there is room again (a lower usage, a new period, an unlimited plan) a later settle counts it.
      spec.given(full).when(rentalCommand('SettleRentalUnit', 're_1', PERIOD_MS + 30, 1)).then([recorded(1, PERIOD_MS + 30, { rental_id: 're_1', limit: 1 })]);
      spec.given(full).when(rentalCommand('SettleRentalUnit', 're_1', 30, null)).then([recorded(1, 30, { rental_id: 're_1', limit: null })]);
    });
  });
});
