import { Plan } from './plan.events';

/** The public plan object (SPEC §5). */
export interface PlanResource {
  id: string;
  object: 'plan';
  name: string;
  /** Units per 30-day period; null is unlimited. */
  monthly_quota: number | null;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string;
  version: number;
  livemode: boolean;
}

export function toPlanResource(plan: Plan, version: number): PlanResource {
  return {
    id: plan.plan_id,
    object: 'plan',
    name: plan.name,
    monthly_quota: plan.monthly_quota,
    metadata: plan.metadata,
    created_at: plan.created_at,
    updated_at: plan.updated_at,
    version,
    livemode: plan.livemode,
  };
}

const PLAN_ID = /^pln_[0-9A-Za-z]{1,64}$/;
export const isPlanId = (id: string) => PLAN_ID.test(id);
