import { DateRange } from './date-range';

/**
 * Rental events and state. Events are facts in the past tense; each type has a stored schema
 * version (rental.codec.ts). Every event carries the rental's `customer_id`: it selects the
 * encryption key (SPEC §8) and the customer whose stats the event moves (SPEC §3).
 */
export const RENTAL_STREAM_PREFIX = 'rental-';
export const rentalStream = (rentalId: string) => `${RENTAL_STREAM_PREFIX}${rentalId}`;

export type RentalStatus = 'NEW' | 'APPROVED' | 'ACTIVE' | 'COMPLETED' | 'CANCELLED';
export const RENTAL_STATUSES: readonly RentalStatus[] = ['NEW', 'APPROVED', 'ACTIVE', 'COMPLETED', 'CANCELLED'];

export type PickupType = 'pickup' | 'delivery';
export const PICKUP_TYPES: readonly PickupType[] = ['pickup', 'delivery'];

/** SPEC §8: encrypted with the customer's key in events, like every metadata value. */
export const RENTAL_PERSONAL_FIELDS = ['delivery_location'] as const;

/** The booking terms: editable only while the rental is NEW or APPROVED (SPEC §4). */
export interface RentalTerms {
  start_date: string | null;
  end_date: string | null;
  pickup_type: PickupType;
  delivery_location: string | null;
  /** Integer cents, so the price stays exact (price.ts). */
  final_price_cents: number | null;
}

export interface RentalEditable extends RentalTerms {
  damage_at_return: boolean;
  metadata: Record<string, string>;
}

export interface RentalCreated {
  type: 'RentalCreated';
  data: RentalEditable & {
    rental_id: string;
    account_id: string;
    livemode: boolean;
    customer_id: string;
    vehicle_id: string;
    booking_id: string | null;
    /** Any status is accepted on create, to sync history kept elsewhere (SPEC §4). */
    status: RentalStatus;
    created_at: string;
  };
}

/** Only the fields that changed, with their new values. */
export interface RentalUpdated {
  type: 'RentalUpdated';
  data: { rental_id: string; customer_id: string; changes: Partial<RentalEditable>; updated_at: string };
}

/**
 * `damage_at_return` is the rental's flag at the moment of the change, so a reader of this
 * one event knows whether a completion was a return with damage (customer score, SPEC §3).
 * `changes` (schema v2) holds the fields the same PATCH changed along with the status, so
 * one request is one event, and one public event (`rental.completed`, not also
 * `rental.updated` for a state no client ever saw). v1 events had none: upcast to `{}`.
 */
export interface RentalStatusChanged {
  type: 'RentalStatusChanged';
  data: {
    rental_id: string;
    customer_id: string;
    from: RentalStatus;
    to: RentalStatus;
    damage_at_return: boolean;
    changes: Partial<RentalEditable>;
    changed_at: string;
  };
}

/**
 * A vehicle hold taken for this rental by a write that never finished (the process died
 * between the calendar append and the rental append) was withdrawn. Appended at the
 * revision that write expected, so the write can no longer land; changes no field.
 * `customer_id` is null when the rental itself was never created. See vehicle-calendar.ts.
 */
export interface RentalHoldLapsed {
  type: 'RentalHoldLapsed';
  data: { rental_id: string; customer_id: string | null; start_date: string; end_date: string; lapsed_at: string };
}

export type RentalEvent = RentalCreated | RentalUpdated | RentalStatusChanged | RentalHoldLapsed;

export type Rental = RentalCreated['data'] & { updated_at: string };

/** State is a union tagged by status; `absent` until the rental is created. */
export type RentalState =
  | { status: 'absent' }
  | { [S in RentalStatus]: { status: S; rental: Rental & { status: S } } }[RentalStatus];

export const initialRentalState = (): RentalState => ({ status: 'absent' });

const present = (rental: Rental): RentalState => ({ status: rental.status, rental }) as RentalState;

export function evolveRental(state: RentalState, event: RentalEvent): RentalState {
  switch (event.type) {
    case 'RentalCreated':
      return present({ ...event.data, updated_at: event.data.created_at });
    case 'RentalUpdated':
      if (state.status === 'absent') return state;
      return present({ ...state.rental, ...event.data.changes, updated_at: event.data.updated_at });
    case 'RentalStatusChanged':
      if (state.status === 'absent') return state;
      return present({ ...state.rental, ...event.data.changes, status: event.data.to, updated_at: event.data.changed_at });
    case 'RentalHoldLapsed':
      return state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** The days this rental takes the vehicle off the road: only APPROVED and ACTIVE rentals do. */
export function occupiedDates(state: RentalState): DateRange | null {
  if (state.status !== 'APPROVED' && state.status !== 'ACTIVE') return null;
  const { start_date, end_date } = state.rental;
  return start_date && end_date ? { start_date, end_date } : null;
}
