/**
 * Customer events and state. Events are facts in the past tense; each type has a stored
 * schema version (see customer.codec.ts for the upcasting of older ones).
 */
export const CUSTOMER_STREAM_PREFIX = 'customer-';
export const customerStream = (customerId: string) => `${CUSTOMER_STREAM_PREFIX}${customerId}`;

export type CustomerStatus = 'ACTIVE' | 'PAUSED' | 'CANCELLED';
export const CUSTOMER_STATUSES: readonly CustomerStatus[] = ['ACTIVE', 'PAUSED', 'CANCELLED'];

/** SPEC §8: these, and every metadata value, are encrypted with the customer's key in events. */
export const CUSTOMER_PERSONAL_FIELDS = ['full_name', 'email', 'phone', 'notes'] as const;

/** The fields a client can change after creation. */
export interface CustomerEditable {
  full_name: string;
  email: string | null;
  phone: string | null;
  preferred_language: string;
  source_channel: string | null;
  notes: string | null;
  metadata: Record<string, string>;
  status: CustomerStatus;
  archived: boolean;
  /** The plan whose quota applies (SPEC §6); null: no plan, every usage is refused. */
  plan_id: string | null;
}

/**
 * Start of the customer's quota period series (usage/quota-period.ts): set by the decider
 * when a plan is attached, on `reset_period` and on an upsert that sets a plan; null
 * without a plan. Never sent by a client; the current period is derived from it and now.
 */
export interface CustomerPeriod {
  period_start: string | null;
}

export interface CustomerCreated {
  type: 'CustomerCreated';
  data: CustomerEditable &
    CustomerPeriod & {
      customer_id: string;
      account_id: string;
      livemode: boolean;
      external_id: string | null;
      created_at: string;
    };
}

/** Only the fields that changed, with their new values. */
export interface CustomerUpdated {
  type: 'CustomerUpdated';
  data: { customer_id: string; changes: Partial<CustomerEditable & CustomerPeriod>; updated_at: string };
}

/**
 * SPEC §3/§8: the customer was erased. Carries nothing personal: the personal values of the
 * events before it become unreadable when the customer's key is destroyed right after.
 */
export interface CustomerDeleted {
  type: 'CustomerDeleted';
  data: { customer_id: string; deleted_at: string };
}

/** The events of a customer that exists (what usage's quota terms fold). */
export type CustomerEvent = CustomerCreated | CustomerUpdated;

/** Every event a customer stream can hold. */
export type CustomerStreamEvent = CustomerEvent | CustomerDeleted;

/** The events among `events` that a present customer's readers (quota terms) understand. */
export const profileEvents = (events: CustomerStreamEvent[]): CustomerEvent[] =>
  events.filter((event): event is CustomerEvent => event.type !== 'CustomerDeleted');

export type Customer = CustomerCreated['data'] & { updated_at: string };

/**
 * State is a union tagged by the customer's life: not created yet, present, or deleted. A
 * deleted customer keeps only who owned it, so a foreign account still gets its plain 404.
 */
export type CustomerState =
  | { status: 'absent' }
  | { status: 'present'; customer: Customer }
  | { status: 'deleted'; customer_id: string; account_id: string; livemode: boolean; deleted_at: string };

export const initialCustomerState = (): CustomerState => ({ status: 'absent' });

export function evolveCustomer(state: CustomerState, event: CustomerStreamEvent): CustomerState {
  switch (event.type) {
    case 'CustomerCreated':
      return { status: 'present', customer: { ...event.data, updated_at: event.data.created_at } };
    case 'CustomerUpdated':
      if (state.status !== 'present') return state;
      return {
        status: 'present',
        customer: { ...state.customer, ...event.data.changes, updated_at: event.data.updated_at },
      };
    case 'CustomerDeleted': {
      if (state.status !== 'present') return state;
      const { customer_id, account_id, livemode } = state.customer;
      return { status: 'deleted', customer_id, account_id, livemode, deleted_at: event.data.deleted_at };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
