import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';
import { IsMetadata, OptionalNullable } from '../shared/http/validators';

/** Fields a client may send both on create (POST) and on change (PATCH); `name` differs, so each DTO declares it. */
export class PlanFieldsDto {
  @ApiPropertyOptional({ example: 100, minimum: 0, nullable: true, description: 'Units per 30-day period; null is unlimited' })
  @OptionalNullable()
  @IsInt({ message: 'monthly_quota must be an integer of at least 0, or null for unlimited.' })
  @Min(0, { message: 'monthly_quota must be an integer of at least 0, or null for unlimited.' })
  monthly_quota?: number | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, nullable: true })
  @OptionalNullable()
  @IsMetadata(true)
  metadata?: Record<string, string | null> | null;
}
