/** SPEC §9: the event types clients see, in webhooks and in GET /v1/events. */
export const PUBLIC_EVENT_TYPES = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'rental.created',
  'rental.updated',
  'rental.completed',
  'rental.cancelled',
] as const;
export type PublicEventType = (typeof PUBLIC_EVENT_TYPES)[number];

/** A resource as GET returns it (`cu_…` with `object: 'customer'`, …), or `{id, object, deleted: true}`. */
export interface PublicObject {
  id: string;
  object: string;
  livemode?: boolean;
  deleted?: true;
  [field: string]: unknown;
}

/** SPEC §7 event object. */
export interface PublicEvent {
  id: string;
  object: 'event';
  type: PublicEventType;
  created_at: string;
  livemode: boolean;
  data: {
    /** The resource as it was right after the event. */
    object: PublicObject;
    /** The old values of the fields the event changed; `{}` for a creation. */
    previous_attributes: Record<string, unknown>;
  };
}

/**
 * Derived from the internal event id, never random: a rebuilt read model, a replayed webhook
 * and a second server all name one event the same, so receivers can de-duplicate on it.
 */
export function publicEventId(internalEventId: string): string {
  return `evt_${internalEventId.replace(/-/g, '').toLowerCase()}`;
}

const EVENT_ID = /^evt_[0-9A-Za-z]{1,64}$/;
export const isPublicEventId = (id: string) => EVENT_ID.test(id);

/** Identity and bookkeeping: never reported as a change (every event moves version and updated_at). */
const NOT_CHANGES = new Set(['id', 'object', 'livemode', 'version', 'created_at', 'updated_at']);

/** Each changed field with its value before and after; `before` null means "did not exist". */
export function fieldChanges(
  before: PublicObject | null,
  after: PublicObject | null,
): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const field of fields) {
    if (NOT_CHANGES.has(field)) continue;
    const from = before?.[field] ?? null;
    const to = after?.[field] ?? null;
    if (canonical(from) !== canonical(to)) out[field] = { from, to };
  }
  return out;
}

export function previousAttributes(before: PublicObject | null, after: PublicObject): Record<string, unknown> {
  // A deletion has none: the object is gone, and its old values are what is being erased (SPEC §8).
  if (!before || after.deleted) return {};
  return Object.fromEntries(Object.entries(fieldChanges(before, after)).map(([field, { from }]) => [field, from]));
}

/** JSON with sorted keys, so a metadata map whose keys moved around is not a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
