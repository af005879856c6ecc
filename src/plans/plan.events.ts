/**
 * Plan events and state. A plan is a quota offer customers are attached to (SPEC §5);
 * `monthly_quota` null means unlimited. Plans hold no personal data, so their events are
 * stored as they are (plan.codec.ts only stamps schema versions).
 */
export const PLAN_STREAM_PREFIX = 'plan-';
export const planStream = (planId: string) => `${PLAN_STREAM_PREFIX}${planId}`;

/** The fields a client can change after creation. */
export interface PlanEditable {
  name: string;
  /** Units per 30-day period; null is unlimited. */
  monthly_quota: number | null;
  metadata: Record<string, string>;
}

export interface PlanCreated {
  type: 'PlanCreated';
  data: PlanEditable & { plan_id: string; account_id: string; livemode: boolean; created_at: string };
}

/** Only the fields that changed, with their new values. */
export interface PlanUpdated {
  type: 'PlanUpdated';
  data: { plan_id: string; changes: Partial<PlanEditable>; updated_at: string };
}

export type PlanEvent = PlanCreated | PlanUpdated;

export type Plan = PlanCreated['data'] & { updated_at: string };

export type PlanState = { status: 'absent' } | { status: 'present'; plan: Plan };

export const initialPlanState = (): PlanState => ({ status: 'absent' });

export function evolvePlan(state: PlanState, event: PlanEvent): PlanState {
  switch (event.type) {
    case 'PlanCreated':
      return { status: 'present', plan: { ...event.data, updated_at: event.data.created_at } };
    case 'PlanUpdated':
      if (state.status !== 'present') return state;
      return { status: 'present', plan: { ...state.plan, ...event.data.changes, updated_at: event.data.updated_at } };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
