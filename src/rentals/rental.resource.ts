import { nightsBetween } from './date-range';
import { fromCents } from './price';
import { PickupType, Rental, RentalStatus } from './rental.events';

/** The public rental object (SPEC §4). */
export interface RentalResource {
  id: string;
  object: 'rental';
  booking_id: string | null;
  customer_id: string;
  vehicle_id: string;
  start_date: string | null;
  end_date: string | null;
  /** Nights between start_date and end_date; null until both are known. */
  rental_days: number | null;
  pickup_type: PickupType;
  delivery_location: string | null;
  /** A JSON number with at most 2 decimals, from the exact cents kept in events. */
  final_price: number | null;
  status: RentalStatus;
  damage_at_return: boolean;
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string;
  version: number;
  livemode: boolean;
}

export function toRentalResource(rental: Rental, version: number): RentalResource {
  const { start_date, end_date } = rental;
  return {
    id: rental.rental_id,
    object: 'rental',
    booking_id: rental.booking_id,
    customer_id: rental.customer_id,
    vehicle_id: rental.vehicle_id,
    start_date,
    end_date,
    rental_days: start_date && end_date ? nightsBetween({ start_date, end_date }) : null,
    pickup_type: rental.pickup_type,
    delivery_location: rental.delivery_location,
    final_price: rental.final_price_cents === null ? null : fromCents(rental.final_price_cents),
    status: rental.status,
    damage_at_return: rental.damage_at_return,
    metadata: rental.metadata,
    created_at: rental.created_at,
    updated_at: rental.updated_at,
    version,
    livemode: rental.livemode,
  };
}

const RENTAL_ID = /^re_[0-9A-Za-z]{1,64}$/;
export const isRentalId = (id: string) => RENTAL_ID.test(id);
