import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, MaxLength } from 'class-validator';
import { OptionalNotNull, OptionalNullable } from '../../shared/http/validators';
import { CustomerFieldsDto, STATUS_VALUES } from '../customer-fields.dto';

/** PATCH /v1/customers/{id}: every field optional; `null` clears email, phone, notes, metadata, plan_id. */
export class UpdateCustomerRequestDto extends CustomerFieldsDto {
  @ApiPropertyOptional({ nullable: true, description: 'Internal notes' })
  @OptionalNullable()
  @IsString()
  @MaxLength(5000)
  notes?: string | null;

  @ApiPropertyOptional({ enum: STATUS_VALUES })
  @OptionalNotNull()
  @IsIn(STATUS_VALUES as unknown as string[], { message: 'status must be one of ACTIVE, PAUSED, CANCELLED.' })
  status?: (typeof STATUS_VALUES)[number];

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  archived?: boolean;

  @ApiPropertyOptional({ description: 'true: start a fresh 30-day quota period now (the customer needs a plan)' })
  @OptionalNotNull()
  @IsBoolean()
  reset_period?: boolean;
}
