import { Injectable } from '@nestjs/common';
import { hasPersonalValues, openFields, sealFields } from '../shared/crypto/personal-data-cipher';
import { SubjectKeyStore } from '../shared/crypto/subject-key.store';
import { ErasureFence } from '../shared/erasure/erasure-fence';
import { Envelope, EventCodec } from '../shared/event-store/event-codec';
import { RecordedEvent } from '../shared/event-store/event-store.port';
import { RENTAL_PERSONAL_FIELDS, RENTAL_STREAM_PREFIX, RentalEvent } from './rental.events';

/** Current stored schema version of each event type. */
export const RENTAL_SCHEMA_VERSIONS: Record<RentalEvent['type'], number> = {
  RentalCreated: 1,
  RentalUpdated: 1,
  RentalStatusChanged: 2,
  RentalHoldLapsed: 1,
};

/**
 * Stored form of rental events. `delivery_location` and metadata values are personal data
 * of the renting CUSTOMER (SPEC §8), so they are sealed with that customer's key, not a key
 * of the rental: erasing the customer makes them unreadable in every rental's history too.
 * The key is asked for only when there is something personal to seal, so a status change of
 * an erased customer's rental still goes through, while new personal data for it are refused
 * (SubjectErasedError, a 409).
 */
@Injectable()
export class RentalCodec implements EventCodec<RentalEvent> {
  readonly streamPrefix = RENTAL_STREAM_PREFIX;

  constructor(
    private readonly keys: SubjectKeyStore,
    private readonly erasures: ErasureFence,
  ) {}

  /** The customer's key for new personal data; an erasure another process made counts at once. */
  private async keyFor(customerId: string): Promise<Buffer> {
    await this.erasures.catchUp();
    return this.keys.keyFor(customerId);
  }

  async encode(_streamName: string, events: RentalEvent[]) {
    return Promise.all(
      events.map(async (event) => ({
        type: event.type,
        schemaVersion: RENTAL_SCHEMA_VERSIONS[event.type],
        data: <Record<string, unknown>>await this.seal(event),
      })),
    );
  }

  async decode(recorded: RecordedEvent): Promise<Envelope<RentalEvent>> {
    const data = upcast(recorded.type, recorded.schemaVersion, recorded.data);
    const customerId = data.customer_id as string | null;
    // A destroyed key (erased customer) opens personal fields as null; the event stays.
    const key = customerId ? await this.keys.find(customerId) : null;
    const opened =
      recorded.type === 'RentalUpdated' || recorded.type === 'RentalStatusChanged'
        ? { ...data, changes: openFields(key, data.changes as Record<string, unknown>, RENTAL_PERSONAL_FIELDS) }
        : openFields(key, data, RENTAL_PERSONAL_FIELDS);
    return {
      ...recorded,
      schemaVersion: RENTAL_SCHEMA_VERSIONS[recorded.type as RentalEvent['type']] ?? recorded.schemaVersion,
      data: opened,
    } as Envelope<RentalEvent>;
  }

  private async seal(event: RentalEvent): Promise<object> {
    switch (event.type) {
      case 'RentalCreated':
        if (!hasPersonalValues(event.data, RENTAL_PERSONAL_FIELDS)) return event.data;
        return sealFields(await this.keyFor(event.data.customer_id), event.data, RENTAL_PERSONAL_FIELDS);
      case 'RentalUpdated':
      case 'RentalStatusChanged': {
        const { changes } = event.data;
        if (!hasPersonalValues(changes, RENTAL_PERSONAL_FIELDS)) return event.data;
        return { ...event.data, changes: sealFields(await this.keyFor(event.data.customer_id), changes, RENTAL_PERSONAL_FIELDS) };
      }
      // Nothing personal in this.
      case 'RentalHoldLapsed':
        return event.data;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }
}

/** RentalStatusChanged v1 carried no `changes` (a PATCH that also changed fields appended a RentalUpdated first). */
export function upcast(type: string, version: number, data: Record<string, unknown>): Record<string, unknown> {
  if (type === 'RentalStatusChanged' && version < 2) return { ...data, changes: {} };
  return data;
}
