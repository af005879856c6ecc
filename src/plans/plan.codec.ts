import { Injectable } from '@nestjs/common';
import { Envelope, EventCodec } from '../shared/event-store/event-codec';
import { RecordedEvent } from '../shared/event-store/event-store.port';
import { PLAN_STREAM_PREFIX, PlanEvent } from './plan.events';

/** Current stored schema version of each event type. */
export const PLAN_SCHEMA_VERSIONS: Record<PlanEvent['type'], number> = {
  PlanCreated: 1,
  PlanUpdated: 1,
};

/**
 * Stored form of plan events: nothing personal to seal (a plan describes an offer, not a
 * person), so only the schema version is stamped; older versions will be upcast here.
 */
@Injectable()
export class PlanCodec implements EventCodec<PlanEvent> {
  readonly streamPrefix = PLAN_STREAM_PREFIX;

  async encode(_streamName: string, events: PlanEvent[]) {
    return events.map((event) => ({
      type: event.type,
      schemaVersion: PLAN_SCHEMA_VERSIONS[event.type],
      data: event.data as unknown as Record<string, unknown>,
    }));
  }

  async decode(recorded: RecordedEvent): Promise<Envelope<PlanEvent>> {
    return recorded as unknown as Envelope<PlanEvent>;
  }
}
