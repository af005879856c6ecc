import { CustomerResource } from '../customers/customer.resource';
import { PlanResource } from '../plans/plan.resource';
import { UsageBucket, UsageRow } from './read-models/usage.projection';

export const HISTORY_PERIODS = 24;

/** GET /v1/customers/{id}/usage (SPEC §6). */
export interface UsageResource {
  object: 'usage';
  customer_id: string;
  external_id: string | null;
  plan: Pick<PlanResource, 'id' | 'object' | 'name' | 'monthly_quota'> | null;
  status: CustomerResource['status'];
  period_start: string | null;
  period_end: string | null;
  current: {
    used: number;
    /** null: unlimited. A customer without a plan has a limit of 0. */
    limit: number | null;
    remaining: number | null;
    /** Whether one more unit would be accepted right now. */
    ok: boolean;
  };
  /** The current period first, then earlier periods with usage, newest first. */
  history: UsageBucket[];
  livemode: boolean;
}

/**
 * The usage object from the customer (already rolled to the period containing now), its
 * plan and its usage row. The current limit is the plan's quota now, so a quota change shows
 * at once; past periods keep the limit they were measured against.
 */
export function toUsageResource(customer: CustomerResource, plan: PlanResource | null, row: UsageRow | null): UsageResource {
  const periods = row?.periods ?? [];
  const { period_start, period_end } = customer;
  const current = period_start && period_end ? periods.find((p) => p.period_start === period_start) : undefined;
  const used = current?.used ?? 0;
  const limit = plan ? plan.monthly_quota : 0;
  const remaining = limit === null ? null : Math.max(0, limit - used);
  const history =
    period_start && period_end
      ? [{ period_start, period_end, used, limit }, ...periods.filter((p) => p.period_start !== period_start)]
      : periods;
  return {
    object: 'usage',
    customer_id: customer.id,
    external_id: customer.external_id,
    plan: plan && { id: plan.id, object: 'plan', name: plan.name, monthly_quota: plan.monthly_quota },
    status: customer.status,
    period_start,
    period_end,
    current: { used, limit, remaining, ok: customer.status === 'ACTIVE' && plan !== null && (remaining === null || remaining >= 1) },
    history: history.slice(0, HISTORY_PERIODS),
    livemode: customer.livemode,
  };
}
