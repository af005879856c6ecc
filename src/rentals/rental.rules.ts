import { MetadataPatch } from '../shared/domain/metadata';
import { InvalidRequestError } from '../shared/errors/api-error';
import { PickupType, RentalStatus, RentalTerms } from './rental.events';

/**
 * The consistency rules of one rental, shared by create and update. Formats (real dates,
 * exact prices) are checked at the HTTP edge; what needs several fields, or the stored
 * rental, is checked here, on the merged result.
 */

/** A metadata patch: a key set to null is removed; `null` for the whole map clears it. */

export interface RentalChanges {
  start_date?: string;
  end_date?: string;
  pickup_type?: PickupType;
  delivery_location?: string | null;
  final_price_cents?: number | null;
  damage_at_return?: boolean;
  metadata?: MetadataPatch;
}


/** The terms after applying `changes`. */
export function terms(current: RentalTerms, changes: Omit<RentalChanges, 'metadata' | 'damage_at_return'>): RentalTerms {
  const pickup_type = changes.pickup_type ?? current.pickup_type;
  const switchedToPickup = changes.pickup_type === 'pickup' && current.pickup_type !== 'pickup';
  // Switching to pickup drops the address the delivery needed, unless the request sends one
  // (then validateRental rejects the contradiction instead of guessing).
  const delivery_location =
    changes.delivery_location !== undefined ? changes.delivery_location : switchedToPickup ? null : current.delivery_location;
  return {
    start_date: changes.start_date ?? current.start_date,
    end_date: changes.end_date ?? current.end_date,
    pickup_type,
    delivery_location,
    final_price_cents: changes.final_price_cents !== undefined ? changes.final_price_cents : current.final_price_cents,
  };
}

/** `changed`: on an update, the fields it changes; absent on create (everything is new). */
export function validateRental(rental: RentalTerms, status: RentalStatus, changed?: Partial<RentalTerms>): void {
  const { start_date, end_date } = rental;
  if (start_date && !end_date) throw missing('end_date', 'end_date is required with start_date.');
  if (end_date && !start_date) throw missing('start_date', 'start_date is required with end_date.');
  if (start_date && end_date && end_date < start_date) {
    throw new InvalidRequestError('end_date must be on or after start_date.', 'end_date');
  }
  // Held when the delivery terms are set, not on every change: the rental of an erased
  // customer (SPEC §8) is a delivery whose address is gone for good, and must still be
  // cancellable or completable.
  const deliveryTermsSet = !changed || 'pickup_type' in changed || 'delivery_location' in changed;
  if (deliveryTermsSet && rental.pickup_type === 'delivery' && !rental.delivery_location) {
    throw missing('delivery_location', 'delivery_location is required when pickup_type is delivery.');
  }
  if (rental.pickup_type === 'pickup' && rental.delivery_location) {
    throw new InvalidRequestError('delivery_location applies only when pickup_type is delivery.', 'delivery_location');
  }
  // An APPROVED or ACTIVE rental holds its vehicle for its dates (SPEC §4), so it needs them.
  if ((status === 'APPROVED' || status === 'ACTIVE') && !start_date) {
    throw missing('start_date', `A rental needs start_date and end_date to be ${status}.`);
  }
}


function missing(param: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, param, 'parameter_missing');
}
