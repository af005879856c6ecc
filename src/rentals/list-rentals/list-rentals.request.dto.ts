import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { ListRequestDto } from '../../shared/http/list-request.dto';
import { OptionalNotNull } from '../../shared/http/validators';
import { RENTAL_STATUSES } from '../rental.events';
import { STATUS_MESSAGE } from '../rental-fields.dto';

/** Pagination (SPEC §2) and the rental filters shared by GET /v1/customers/{id}/rentals. */
export class ListCustomerRentalsRequestDto extends ListRequestDto {
  @ApiPropertyOptional({ enum: RENTAL_STATUSES })
  @OptionalNotNull()
  @IsIn(RENTAL_STATUSES as string[], { message: STATUS_MESSAGE })
  status?: string;

  @ApiPropertyOptional({ description: 'Your vehicle id' })
  @OptionalNotNull()
  @IsString()
  vehicle_id?: string;

  @ApiPropertyOptional({ description: 'Your booking reference' })
  @OptionalNotNull()
  @IsString()
  booking_id?: string;
}

export class ListRentalsRequestDto extends ListCustomerRentalsRequestDto {
  @ApiPropertyOptional({ description: 'A customer id (cu_…)' })
  @OptionalNotNull()
  @IsString()
  customer?: string;
}
