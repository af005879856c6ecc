import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { OptionalNotNull } from '../../shared/http/validators';
import { CustomerFieldsDto } from '../customer-fields.dto';

/** POST /v1/customers. `full_name` is required unless `external_id` names an existing customer. */
export class CreateCustomerRequestDto extends CustomerFieldsDto {
  @ApiPropertyOptional({ example: 'crm-4711', description: 'Your id; unique per account and mode (upsert key).' })
  @OptionalNotNull()
  @IsString()
  @Length(1, 255)
  external_id?: string;
}
