import { deciderSpec } from '../../test/support/decider-spec';
import { PlanCommand, planDecider, PlanNotFoundError } from './plan.decider';
import { PlanCreated, PlanEvent } from './plan.events';

const spec = deciderSpec(planDecider);
const now = new Date('2026-03-01T10:00:00.000Z');
const later = new Date('2026-03-02T10:00:00.000Z');

const created: PlanCreated = {
  type: 'PlanCreated',
  data: {
    plan_id: 'pln_1',
    account_id: 'acct_1',
    livemode: false,
    name: 'Pro',
    monthly_quota: 100,
    metadata: { tier: 'gold' },
    created_at: now.toISOString(),
  },
};

const create = (overrides: Partial<Extract<PlanCommand, { type: 'CreatePlan' }>['data']> = {}): PlanCommand => ({
  type: 'CreatePlan',
  data: { planId: 'pln_1', accountId: 'acct_1', livemode: false, name: 'Pro', monthlyQuota: 100, metadata: { tier: 'gold' }, now, ...overrides },
});
const update = (changes: Record<string, unknown>): PlanCommand => ({ type: 'UpdatePlan', data: { changes, now: later } });
const updated = (changes: Record<string, unknown>): PlanEvent => ({
  type: 'PlanUpdated',
  data: { plan_id: 'pln_1', changes, updated_at: later.toISOString() },
});

describe('plan decider', () => {
  describe('when the plan does not exist', () => {
    it('creates it', () => {
      spec.given([]).when(create()).then([created]);
    });

    it('creates an unlimited plan with no metadata', () => {
      spec
        .given([])
        .when(create({ monthlyQuota: null, metadata: undefined }))
        .then([{ ...created, data: { ...created.data, monthly_quota: null, metadata: {} } }]);
    });

    it('refuses an update', () => {
      spec.given([]).when(update({ name: 'X' })).thenThrows(PlanNotFoundError);
    });
  });

  describe('when the plan exists', () => {
    it('creates nothing again: the same id means the same request, retried', () => {
      spec.given([created]).when(create({ name: 'Other' })).then([]);
    });

    it('records only the fields that changed', () => {
      spec.given([created]).when(update({ name: 'Pro', monthly_quota: 250 })).then([updated({ monthly_quota: 250 })]);
    });

    it('makes the quota unlimited with null, and limited again with a number', () => {
      spec.given([created]).when(update({ monthly_quota: null })).then([updated({ monthly_quota: null })]);
      spec.given([created, updated({ monthly_quota: null })]).when(update({ monthly_quota: 0 })).then([updated({ monthly_quota: 0 })]);
    });

    it('merges metadata and appends nothing for a change that changes nothing', () => {
      spec.given([created]).when(update({ metadata: { tier: null, color: 'red' } })).then([updated({ metadata: { color: 'red' } })]);
      spec.given([created]).when(update({ metadata: { tier: 'gold' }, name: 'Pro' })).then([]);
    });
  });
});
