import { Injectable } from '@nestjs/common';
import { Envelope } from '../../shared/event-store/event-codec';
import { Projection } from '../../shared/projections/projection';
import { evolvePlan, initialPlanState, PLAN_STREAM_PREFIX, PlanEvent, PlanState } from '../plan.events';
import { PlanResource, toPlanResource } from '../plan.resource';

/** A row of the plan list: the public object plus what isolation and paging need. */
export interface PlanRow {
  account_id: string;
  /** Global position of the creation event, fixed-width text: immutable, so paging is stable. */
  seq: string;
  state: PlanState;
  plan: PlanResource;
}

/** The plan list and lookups; evolve reuses the aggregate's own fold. */
@Injectable()
export class PlanListProjection implements Projection<PlanRow> {
  readonly name = 'plans';
  readonly table = 'rm_plans';
  readonly streamPrefixes = [PLAN_STREAM_PREFIX];
  readonly columns: Projection<PlanRow>['columns'] = {
    account_id: { type: 'TEXT', value: (r) => r.account_id },
    livemode: { type: 'INTEGER', value: (r) => (r.plan.livemode ? 1 : 0) },
    seq: { type: 'TEXT', value: (r) => r.seq },
  };
  readonly indexes = ['CREATE INDEX IF NOT EXISTS {table}_seq ON {table} (account_id, livemode, seq)'];

  rowId(event: Envelope): string | null {
    return event.streamName.slice(PLAN_STREAM_PREFIX.length);
  }

  evolve(row: PlanRow | null, event: Envelope): PlanRow | null {
    const state = evolvePlan(row?.state ?? initialPlanState(), event as Envelope<PlanEvent>);
    if (state.status !== 'present') return row;
    return {
      account_id: state.plan.account_id,
      seq: row?.seq ?? event.position.toString().padStart(40, '0'),
      state,
      plan: toPlanResource(state.plan, Number(event.revision) + 1),
    };
  }
}
