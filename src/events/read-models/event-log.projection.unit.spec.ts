import { customerPublicEvents } from '../../customers/customer.public-events';
import { Envelope } from '../../shared/event-store/event-codec';
import { PublicEventMappers } from '../public-event-mapper';
import { EventLogProjection, EventLogRow, EventRow } from './event-log.projection';

const CUSTOMER = 'customer-cu_1';
let position = 0n;

function envelope(streamName: string, revision: number, type: string, data: object, createdAt = new Date(0)): Envelope {
  position += 1n;
  const id = `00000000-0000-4000-8000-${position.toString().padStart(12, '0')}`;
  return { id, streamName, type, schemaVersion: 1, data, metadata: {}, revision: BigInt(revision), position, createdAt };
}

const created = (at = '2030-01-01T00:00:00.000Z') =>
  envelope(CUSTOMER, 0, 'CustomerCreated', {
    customer_id: 'cu_1',
    account_id: 'acct_1',
    livemode: false,
    external_id: null,
    full_name: 'Ada',
    email: 'ada@example.com',
    phone: null,
    preferred_language: 'en',
    source_channel: null,
    notes: null,
    metadata: { tier: 'gold' },
    status: 'ACTIVE',
    archived: false,
    created_at: at,
  });
const updated = (revision: number, changes: object, at: string) =>
  envelope(CUSTOMER, revision, 'CustomerUpdated', { customer_id: 'cu_1', changes, updated_at: at });

/** Applies events the way the runner does: evolve the keyed row, then write what emit adds. */
function project(projection: EventLogProjection, events: Envelope[], rows = new Map<string, EventLogRow>()) {
  for (const event of events) {
    const id = projection.rowId(event);
    if (id === null) continue;
    const before = rows.get(id) ?? null;
    const after = projection.evolve(before, event)!;
    rows.set(id, after);
    for (const emitted of projection.emit(before, after, event)) rows.set(emitted.id, emitted.doc);
  }
  return rows;
}

const published = (rows: Map<string, EventLogRow>) => [...rows.values()].filter((r): r is EventRow => r.kind === 'event');

describe('the event log projection', () => {
  let projection: EventLogProjection;
  beforeEach(() => {
    projection = new EventLogProjection(customerMappers());
  });

  describe('when a customer is created', () => {
    it('publishes customer.created with the customer as created and no previous attributes', () => {
      const [event] = published(project(projection, [created()]));
      expect(event.event).toMatchObject({
        object: 'event',
        type: 'customer.created',
        created_at: '2030-01-01T00:00:00.000Z',
        livemode: false,
        data: { object: { id: 'cu_1', object: 'customer', full_name: 'Ada', version: 1 }, previous_attributes: {} },
      });
      expect(event).toMatchObject({ account_id: 'acct_1', resource_id: 'cu_1' });
      expect(event.seq).toHaveLength(40);
    });
  });

  describe('when a customer is updated', () => {
    it('publishes the customer after the change and the old values of the changed fields only', () => {
      const events = [created(), updated(1, { full_name: 'Ada L.', metadata: {} }, '2030-01-02T00:00:00.000Z')];
      const [, update] = published(project(projection, events));
      expect(update.event.type).toBe('customer.updated');
      expect(update.event.created_at).toBe('2030-01-02T00:00:00.000Z');
      expect(update.event.data.object).toMatchObject({ full_name: 'Ada L.', metadata: {}, version: 2, email: 'ada@example.com' });
      expect(update.event.data.previous_attributes).toEqual({ full_name: 'Ada', metadata: { tier: 'gold' } });
    });

    it('builds on the state kept from an earlier batch, as read back from its JSON row', () => {
      const first = project(projection, [created()]);
      const reloaded = new Map([...first].map(([id, row]) => [id, JSON.parse(JSON.stringify(row)) as EventLogRow]));
      const rows = project(projection, [updated(1, { email: null }, '2030-01-03T00:00:00.000Z')], reloaded);
      const last = published(rows).find((r) => r.event.type === 'customer.updated')!;
      expect(last.event.data.previous_attributes).toEqual({ email: 'ada@example.com' });
      expect(last.event.data.object).toMatchObject({ full_name: 'Ada', email: null, version: 2 });
    });
  });

  describe('when a customer is deleted', () => {
    const deleted = () => envelope(CUSTOMER, 1, 'CustomerDeleted', { customer_id: 'cu_1', deleted_at: '2030-01-05T00:00:00.000Z' });

    it('publishes customer.deleted carrying only {id, object, deleted} and no previous attributes', () => {
      const rows = project(projection, [created(), deleted()]);
      const deletion = published(rows).find((r) => r.event.type === 'customer.deleted')!;
      expect(deletion).toMatchObject({ account_id: 'acct_1', resource_id: 'cu_1' });
      expect(deletion.event).toMatchObject({ created_at: '2030-01-05T00:00:00.000Z', livemode: false });
      expect(deletion.event.data).toEqual({ object: { id: 'cu_1', object: 'customer', deleted: true }, previous_attributes: {} });
    });

    it('keeps no personal value in the state row the next event would build on', () => {
      const state = project(projection, [created(), deleted()]).get(CUSTOMER)!;
      expect(JSON.stringify(state)).not.toMatch(/Ada|ada@example\.com|gold/);
    });
  });

  it('names each public event after its internal event, so a rebuild or replay yields the same ids', () => {
    const event = created();
    const once = published(project(projection, [event]));
    const again = published(project(new EventLogProjection(customerMappers()), [event]));
    expect(once[0].event.id).toBe(`evt_${event.id.replace(/-/g, '')}`);
    expect(again[0].event.id).toBe(once[0].event.id);
  });

  it('publishes nothing and keeps no row for internal streams such as external_id reservations', () => {
    const reservation = envelope('customer_external_id-abc', 0, 'ExternalIdReserved', { customer_id: 'cu_1' });
    expect(projection.rowId(reservation)).toBeNull();
    expect(projection.streamPrefixes).toEqual(['customer-']);
  });

  it('gives state rows no account, so no account-scoped query can ever return one', () => {
    const rows = project(projection, [created()]);
    const state = rows.get(CUSTOMER)!;
    expect(state.kind).toBe('resource');
    expect(projection.columns.account_id.value(state)).toBeNull();
    expect(projection.columns.seq.value(state)).toBeNull();
  });
});

function customerMappers() {
  const mappers = new PublicEventMappers();
  mappers.register(customerPublicEvents);
  return mappers;
}
