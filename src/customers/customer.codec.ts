import { Injectable } from '@nestjs/common';
import { hasPersonalValues, openFields, sealFields } from '../shared/crypto/personal-data-cipher';
import { SubjectKeyStore } from '../shared/crypto/subject-key.store';
import { EventCodec, Envelope } from '../shared/event-store/event-codec';
import { RecordedEvent } from '../shared/event-store/event-store.port';
import { CUSTOMER_PERSONAL_FIELDS, CUSTOMER_STREAM_PREFIX, CustomerStreamEvent } from './customer.events';

/** Current stored schema version of each event type. */
export const CUSTOMER_SCHEMA_VERSIONS: Record<CustomerStreamEvent['type'], number> = {
  CustomerCreated: 3,
  CustomerUpdated: 1,
  CustomerDeleted: 1,
};

/**
 * Stored form of customer events: personal fields sealed with the customer's own key, old
 * schema versions upcast on read. CustomerCreated v1 (the first API draft) carried `name`;
 * v2 calls it `full_name`; v3 adds `plan_id` and `period_start` (null before plans existed).
 * Stored events are never rewritten.
 */
@Injectable()
export class CustomerCodec implements EventCodec<CustomerStreamEvent> {
  readonly streamPrefix = CUSTOMER_STREAM_PREFIX;

  constructor(private readonly keys: SubjectKeyStore) {}

  async encode(streamName: string, events: CustomerStreamEvent[]) {
    const customerId = streamName.slice(this.streamPrefix.length);
    return Promise.all(
      events.map(async (event) => ({
        type: event.type,
        schemaVersion: CUSTOMER_SCHEMA_VERSIONS[event.type],
        data: <Record<string, unknown>>await this.seal(customerId, event),
      })),
    );
  }

  async decode(recorded: RecordedEvent): Promise<Envelope<CustomerStreamEvent>> {
    const key = await this.keys.find(recorded.streamName.slice(this.streamPrefix.length));
    const data = upcast(recorded.type, recorded.schemaVersion, recorded.data);
    const opened =
      recorded.type === 'CustomerUpdated'
        ? { ...data, changes: openFields(key, data.changes as Record<string, unknown>, CUSTOMER_PERSONAL_FIELDS) }
        : openFields(key, data, CUSTOMER_PERSONAL_FIELDS);
    return {
      ...recorded,
      schemaVersion: CUSTOMER_SCHEMA_VERSIONS[recorded.type as CustomerStreamEvent['type']] ?? recorded.schemaVersion,
      data: opened,
    } as Envelope<CustomerStreamEvent>;
  }

  /**
   * The key is asked for only when there is something personal to seal: an erased customer
   * has none any more (keyFor refuses), and a change without personal values needs none.
   */
  private async seal(customerId: string, event: CustomerStreamEvent): Promise<object> {
    switch (event.type) {
      case 'CustomerCreated':
        if (!hasPersonalValues(event.data, CUSTOMER_PERSONAL_FIELDS)) return event.data;
        return sealFields(await this.keys.keyFor(customerId, true), event.data, CUSTOMER_PERSONAL_FIELDS);
      case 'CustomerUpdated': {
        const { changes } = event.data;
        if (!hasPersonalValues(changes, CUSTOMER_PERSONAL_FIELDS)) return event.data;
        return { ...event.data, changes: sealFields(await this.keys.keyFor(customerId), changes, CUSTOMER_PERSONAL_FIELDS) };
      }
      case 'CustomerDeleted':
        return event.data;
      default: {
        const unknown: never = event;
        return unknown;
      }
    }
  }
}

export function upcast(type: string, version: number, data: Record<string, unknown>): Record<string, unknown> {
  if (type !== 'CustomerCreated') return data;
  let out = data;
  if (version < 2) {
    const { name, ...rest } = out;
    out = { ...rest, full_name: name ?? null };
  }
  if (version < 3) out = { ...out, plan_id: null, period_start: null };
  return out;
}
