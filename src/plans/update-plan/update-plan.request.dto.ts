import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { OptionalNotNull } from '../../shared/http/validators';
import { PlanFieldsDto } from '../plan-fields.dto';

/**
 * PATCH /v1/plans/{id}: every field optional; metadata is merged (a key set to null is
 * removed, `metadata: null` clears it). A new `monthly_quota` applies to every attached
 * customer's current period from the moment it is stored.
 */
export class UpdatePlanRequestDto extends PlanFieldsDto {
  @ApiPropertyOptional({ example: 'Pro', maxLength: 200 })
  @OptionalNotNull()
  @IsString()
  @Length(1, 200)
  name?: string;
}
