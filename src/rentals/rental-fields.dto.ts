import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, Length, registerDecorator, ValidationOptions } from 'class-validator';
import { IsMetadata, OptionalNotNull, OptionalNullable } from '../shared/http/validators';
import { isCalendarDate } from './date-range';
import { priceProblem, toCents } from './price';
import { RentalChanges } from './rental.rules';
import { PICKUP_TYPES, PickupType, RENTAL_STATUSES, RentalStatus } from './rental.events';

/** A real `YYYY-MM-DD` calendar date: 2026-02-30 is a 400 naming the param. */
function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a real calendar date formatted YYYY-MM-DD.`, ...options },
      validator: { validate: isCalendarDate },
    });
}

/** A number ≥ 0 with at most 2 decimals (price.ts keeps it exact from here on). */
function IsPrice() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPrice',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => priceProblem(value) === null,
        defaultMessage: (args) => priceProblem(args?.value) ?? 'final_price is invalid.',
      },
    });
}

export const STATUS_MESSAGE = `status must be one of ${RENTAL_STATUSES.join(', ')}.`;

/** Fields a client may send both on create (POST) and on change (PATCH). */
export class RentalFieldsDto {
  @ApiPropertyOptional({ example: '2026-03-01', description: 'Pickup date (YYYY-MM-DD)' })
  @OptionalNotNull()
  @IsCalendarDate()
  start_date?: string;

  @ApiPropertyOptional({ example: '2026-03-05', description: 'Return date, on or after start_date' })
  @OptionalNotNull()
  @IsCalendarDate()
  end_date?: string;

  @ApiPropertyOptional({ enum: PICKUP_TYPES, default: 'pickup' })
  @OptionalNotNull()
  @IsIn(PICKUP_TYPES as string[], { message: 'pickup_type must be pickup or delivery.' })
  pickup_type?: PickupType;

  @ApiPropertyOptional({ nullable: true, description: 'Delivery address; required when pickup_type is delivery' })
  @OptionalNullable()
  @IsString()
  @Length(1, 500)
  delivery_location?: string | null;

  @ApiPropertyOptional({ example: 249.9, nullable: true, description: 'Locked-in total price, at most 2 decimals' })
  @OptionalNullable()
  @IsPrice()
  final_price?: number | null;

  @ApiPropertyOptional({ enum: RENTAL_STATUSES })
  @OptionalNotNull()
  @IsIn(RENTAL_STATUSES as string[], { message: STATUS_MESSAGE })
  status?: RentalStatus;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  damage_at_return?: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, nullable: true })
  @OptionalNullable()
  @IsMetadata(true)
  metadata?: Record<string, string | null> | null;
}

/** The domain's view of the request: the price in exact cents (price.ts), status apart. */
export function toRentalChanges(body: RentalFieldsDto): RentalChanges {
  const { final_price, status: _status, ...rest } = body;
  return { ...rest, ...(final_price !== undefined ? { final_price_cents: final_price === null ? null : toCents(final_price) } : {}) };
}
