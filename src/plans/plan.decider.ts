import { applyMetadataPatch, MetadataPatch } from '../shared/domain/metadata';
import { Decider } from '../shared/event-store/decider';
import { evolvePlan, initialPlanState, PlanEditable, PlanEvent, PlanState } from './plan.events';

export type PlanChanges = Partial<Omit<PlanEditable, 'metadata'>> & { metadata?: MetadataPatch };

export type PlanCommand =
  | {
      type: 'CreatePlan';
      data: {
        planId: string;
        accountId: string;
        livemode: boolean;
        name: string;
        monthlyQuota: number | null;
        metadata?: MetadataPatch;
        now: Date;
      };
    }
  | { type: 'UpdatePlan'; data: { changes: PlanChanges; now: Date } };

export class PlanNotFoundError extends Error {}

export function decidePlan(command: PlanCommand, state: PlanState): PlanEvent[] {
  switch (command.type) {
    case 'CreatePlan': {
      // Plan ids are fresh random ids, or derived from an Idempotency-Key: a plan that
      // exists already was created by this same request before a crash cut it off.
      if (state.status === 'present') return [];
      const { planId, accountId, livemode, name, monthlyQuota, metadata, now } = command.data;
      return [
        {
          type: 'PlanCreated',
          data: {
            plan_id: planId,
            account_id: accountId,
            livemode,
            name,
            monthly_quota: monthlyQuota,
            metadata: applyMetadataPatch({}, metadata),
            created_at: now.toISOString(),
          },
        },
      ];
    }
    case 'UpdatePlan': {
      if (state.status !== 'present') throw new PlanNotFoundError();
      const changed = diff(state.plan, command.data.changes);
      // Like customers (SPEC §3): a PATCH that changes nothing appends no event.
      if (Object.keys(changed).length === 0) return [];
      return [
        {
          type: 'PlanUpdated',
          data: { plan_id: state.plan.plan_id, changes: changed, updated_at: command.data.now.toISOString() },
        },
      ];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

function diff(current: PlanEditable, changes: PlanChanges): Partial<PlanEditable> {
  const out: Partial<PlanEditable> = {};
  if (changes.name !== undefined && changes.name !== current.name) out.name = changes.name;
  if (changes.monthly_quota !== undefined && changes.monthly_quota !== current.monthly_quota) {
    out.monthly_quota = changes.monthly_quota;
  }
  if (changes.metadata !== undefined) {
    const next = applyMetadataPatch(current.metadata, changes.metadata);
    const keys = Object.keys(next);
    const same = keys.length === Object.keys(current.metadata).length && keys.every((k) => next[k] === current.metadata[k]);
    if (!same) out.metadata = next;
  }
  return out;
}

export const planDecider: Decider<PlanState, PlanCommand, PlanEvent> = {
  initialState: initialPlanState,
  evolve: evolvePlan,
  decide: decidePlan,
};
