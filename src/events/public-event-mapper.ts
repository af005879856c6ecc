import { Injectable } from '@nestjs/common';
import { Envelope } from '../shared/event-store/event-codec';
import { PublicEventType, PublicObject } from './public-event';

/**
 * A resource as of some event: its public object and the account and mode that own it (kept
 * apart from the object: a deleted one is only `{id, object, deleted}`).
 */
export interface ResourceView {
  account_id: string;
  livemode: boolean;
  object: PublicObject;
}

/**
 * How one stream category (`customer-`, `rental-`) looks from outside: the fold of its
 * events (usually the aggregate's own evolve), the public object of a state, and which
 * internal events are public ones. Each resource module registers its mapper on init;
 * GET /v1/events, histories and `as_of` reads all go through it, so a rental mapper is all
 * rentals need to appear there. The state must be plain JSON: the event log keeps it in a row.
 */
export interface PublicEventMapper<State = unknown> {
  readonly streamPrefix: string;
  initialState(): State;
  evolve(state: State, event: Envelope): State;
  /** The public object after `version` events; null while the resource does not exist. */
  view(state: State, version: number): ResourceView | null;
  /** The §9 type this event is published as, or null for an internal-only event. */
  publicType(event: Envelope, before: PublicObject | null, after: PublicObject): PublicEventType | null;
  /**
   * When the change took effect, as the resource itself reports it (its updated_at), so
   * `?as_of=<updated_at>` shows that very change. Default: the time the log recorded it.
   */
  occurredAt?(event: Envelope): string;
}

@Injectable()
export class PublicEventMappers {
  private readonly mappers: PublicEventMapper[] = [];

  register<State>(mapper: PublicEventMapper<State>): void {
    if (this.mappers.some((m) => m.streamPrefix === mapper.streamPrefix)) {
      throw new Error(`a public event mapper for ${mapper.streamPrefix} is already registered`);
    }
    this.mappers.push(mapper as PublicEventMapper);
  }

  /** The mapper of the stream's category; undefined for internal streams (reservations). */
  forStream(streamName: string): PublicEventMapper | undefined {
    return this.mappers.find((m) => streamName.startsWith(m.streamPrefix));
  }

  get streamPrefixes(): string[] {
    return this.mappers.map((m) => m.streamPrefix);
  }
}

export function occurredAt(mapper: PublicEventMapper, event: Envelope): string {
  return mapper.occurredAt?.(event) ?? event.createdAt.toISOString();
}
