import { EventToAppend, RecordedEvent } from './event-store.port';

/** A domain event as deciders see it: a type tag and plain (decrypted, upcast) data. */
export interface DomainEvent {
  type: string;
  data: object;
}

/** A decoded event with its place in the log; what evolve functions and projections receive. */
export type Envelope<E extends DomainEvent = DomainEvent> = E & Omit<RecordedEvent, 'type' | 'data'>;

/**
 * Turns domain events into stored events and back for one stream category. This is where
 * personal data is encrypted on the way in and decrypted on the way out (SPEC §8), and where
 * old schema versions are upcast on read: stored events are never rewritten.
 */
export interface EventCodec<E extends DomainEvent = DomainEvent> {
  readonly streamPrefix: string;
  encode(streamName: string, events: E[]): Promise<Omit<EventToAppend, 'metadata'>[]>;
  decode(recorded: RecordedEvent): Promise<Envelope<E>>;
}

/** All registered codecs; events of a category without a codec pass through unchanged. */
export class EventCodecs {
  private readonly codecs: EventCodec[] = [];

  register(codec: EventCodec): void {
    this.codecs.push(codec);
  }

  async decode(recorded: RecordedEvent): Promise<Envelope> {
    const codec = this.codecs.find((c) => recorded.streamName.startsWith(c.streamPrefix));
    return codec ? codec.decode(recorded) : (recorded as Envelope);
  }
}
