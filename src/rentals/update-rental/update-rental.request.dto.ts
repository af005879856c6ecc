import { RentalFieldsDto } from '../rental-fields.dto';

/**
 * PATCH /v1/rentals/{id}: every field optional. `status`, `damage_at_return` and `metadata`
 * follow the state rules of rental.decider.ts; the booking terms (dates, price, pickup,
 * delivery_location) change only while the rental is NEW or APPROVED.
 */
export class UpdateRentalRequestDto extends RentalFieldsDto {}
