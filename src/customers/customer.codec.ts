import { Injectable } from '@nestjs/common';
import { openFields, sealFields } from '../shared/crypto/personal-data-cipher';
import { SubjectKeyStore } from '../shared/crypto/subject-key.store';
import { EventCodec, Envelope } from '../shared/event-store/event-codec';
import { RecordedEvent } from '../shared/event-store/event-store.port';
import { CUSTOMER_PERSONAL_FIELDS, CUSTOMER_STREAM_PREFIX, CustomerEvent } from './customer.events';

/** Current stored schema version of each event type. */
export const CUSTOMER_SCHEMA_VERSIONS: Record<CustomerEvent['type'], number> = {
  CustomerCreated: 3,
  CustomerUpdated: 1,
};

/**
 * Stored form of customer events: personal fields sealed with the customer's own key, old
 * schema versions upcast on read. CustomerCreated v1 (the first API draft) carried `name`;
 * v2 calls it `full_name`; v3 adds `plan_id` and `period_start` (null before plans existed).
 * Stored events are never rewritten.
 */
@Injectable()
export class CustomerCodec implements EventCodec<CustomerEvent> {
  readonly streamPrefix = CUSTOMER_STREAM_PREFIX;

  constructor(private readonly keys: SubjectKeyStore) {}

  async encode(streamName: string, events: CustomerEvent[]) {
    const key = await this.keys.keyFor(streamName.slice(this.streamPrefix.length));
    return events.map((event) => ({
      type: event.type,
      schemaVersion: CUSTOMER_SCHEMA_VERSIONS[event.type],
      data: <Record<string, unknown>>(
        event.type === 'CustomerUpdated'
          ? { ...event.data, changes: sealFields(key, event.data.changes, CUSTOMER_PERSONAL_FIELDS) }
          : sealFields(key, event.data, CUSTOMER_PERSONAL_FIELDS)),
    }));
  }

  async decode(recorded: RecordedEvent): Promise<Envelope<CustomerEvent>> {
    const key = await this.keys.find(recorded.streamName.slice(this.streamPrefix.length));
    const data = upcast(recorded.type, recorded.schemaVersion, recorded.data);
    const opened =
      recorded.type === 'CustomerUpdated'
        ? { ...data, changes: openFields(key, data.changes as Record<string, unknown>, CUSTOMER_PERSONAL_FIELDS) }
        : openFields(key, data, CUSTOMER_PERSONAL_FIELDS);
    return {
      ...recorded,
      schemaVersion: CUSTOMER_SCHEMA_VERSIONS[recorded.type as CustomerEvent['type']] ?? recorded.schemaVersion,
      data: opened,
    } as Envelope<CustomerEvent>;
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
