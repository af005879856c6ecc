import { Injectable } from '@nestjs/common';
import { Envelope } from '../../shared/event-store/event-codec';
import { EmittedRow, Projection } from '../../shared/projections/projection';
import { occurredAt, PublicEventMappers } from '../public-event-mapper';
import { previousAttributes, PublicEvent, publicEventId } from '../public-event';

/** The running state of one resource, keyed by its stream: what the next event builds on. */
export interface ResourceStateRow {
  kind: 'resource';
  version: number;
  state: unknown;
}

/** One public event, as GET /v1/events returns it, plus what isolation and paging need. */
export interface EventRow {
  kind: 'event';
  account_id: string;
  resource_id: string;
  /** Global position as fixed-width text, like the customer list: immutable, so paging is stable. */
  seq: string;
  event: PublicEvent;
}

export type EventLogRow = ResourceStateRow | EventRow;

const ifEvent =
  <T>(pick: (row: EventRow) => T) =>
  (row: EventLogRow) =>
    row.kind === 'event' ? pick(row) : null;

/**
 * The account's log of public events (SPEC §7). `data.object` is the resource right after
 * the event, so each event needs the state before it: evolve folds that state into a row
 * keyed by the stream (id `customer-cu_…`), and emit writes the event row (id `evt_…`) from
 * the state before and after. Both live in this one table under one checkpoint, so they
 * are always consistent and a rebuild swaps them together. State rows have no account_id
 * and so never match a query. Streams without a registered mapper publish nothing.
 */
@Injectable()
export class EventLogProjection implements Projection<EventLogRow> {
  readonly name = 'events';
  readonly table = 'rm_events';
  // Each row derives from one stream: a resource's state, or one of its events (SPEC §8).
  readonly personalData = true;
  readonly columns: Projection<EventLogRow>['columns'] = {
    account_id: { type: 'TEXT', value: ifEvent((r) => r.account_id) },
    livemode: { type: 'INTEGER', value: ifEvent((r) => (r.event.livemode ? 1 : 0)) },
    seq: { type: 'TEXT', value: ifEvent((r) => r.seq) },
    type: { type: 'TEXT', value: ifEvent((r) => r.event.type) },
    resource_id: { type: 'TEXT', value: ifEvent((r) => r.resource_id) },
    created_at: { type: 'TEXT', value: ifEvent((r) => r.event.created_at) },
  };
  readonly indexes = [
    'CREATE INDEX IF NOT EXISTS {table}_seq ON {table} (account_id, livemode, seq)',
    'CREATE INDEX IF NOT EXISTS {table}_resource ON {table} (account_id, livemode, resource_id, seq)',
    'CREATE INDEX IF NOT EXISTS {table}_type ON {table} (account_id, livemode, type, seq)',
    // The webhook fan-out pages the whole log by position across accounts (src/webhooks);
    // declared here so that a rebuilt table has it from the swap on.
    'CREATE INDEX IF NOT EXISTS {table}_webhooks_seq ON {table} (seq)',
  ];

  constructor(private readonly mappers: PublicEventMappers) {}

  /** Read when each batch is applied: mappers register on module init, before the runner starts. */
  get streamPrefixes(): string[] {
    return this.mappers.streamPrefixes;
  }

  rowId(event: Envelope): string | null {
    return this.mappers.forStream(event.streamName) ? event.streamName : null;
  }

  evolve(row: EventLogRow | null, event: Envelope): EventLogRow | null {
    const mapper = this.mappers.forStream(event.streamName)!;
    const state = row?.kind === 'resource' ? row.state : mapper.initialState();
    return { kind: 'resource', version: Number(event.revision) + 1, state: mapper.evolve(state, event) };
  }

  emit(before: EventLogRow | null, after: EventLogRow | null, event: Envelope): EmittedRow<EventLogRow>[] {
    const mapper = this.mappers.forStream(event.streamName);
    if (!mapper || after?.kind !== 'resource') return [];
    const previous = before?.kind === 'resource' ? mapper.view(before.state, before.version) : null;
    const current = mapper.view(after.state, after.version);
    if (!current) return [];
    const type = mapper.publicType(event, previous?.object ?? null, current.object);
    if (!type) return [];
    const id = publicEventId(event.id);
    const publicEvent: PublicEvent = {
      id,
      object: 'event',
      type,
      created_at: occurredAt(mapper, event),
      livemode: current.livemode,
      data: { object: current.object, previous_attributes: previousAttributes(previous?.object ?? null, current.object) },
    };
    const row: EventRow = {
      kind: 'event',
      account_id: current.account_id,
      resource_id: current.object.id,
      seq: event.position.toString().padStart(40, '0'),
      event: publicEvent,
    };
    return [{ id, doc: row }];
  }
}
