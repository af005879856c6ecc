import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString } from 'class-validator';
import { ListRequestDto } from '../../shared/http/list-request.dto';
import { OptionalNotNull } from '../../shared/http/validators';
import { PUBLIC_EVENT_TYPES } from '../public-event';

const TIMESTAMP = { strict: true, strictSeparator: true };

/** SPEC §7 filters; the range bounds keep Stripe's bracketed names (`created[gte]`). */
export class ListEventsRequestDto extends ListRequestDto {
  @ApiPropertyOptional({ enum: PUBLIC_EVENT_TYPES })
  @OptionalNotNull()
  @IsIn(PUBLIC_EVENT_TYPES as unknown as string[], { message: `type must be one of ${PUBLIC_EVENT_TYPES.join(', ')}.` })
  type?: string;

  @ApiPropertyOptional({ description: 'Only events about this resource (cu_…, re_…)' })
  @OptionalNotNull()
  @IsString()
  resource_id?: string;

  @ApiPropertyOptional({ name: 'created[gte]', description: 'ISO 8601 timestamp: created at or after' })
  @OptionalNotNull()
  @IsISO8601(TIMESTAMP, { message: 'created[gte] must be an ISO 8601 timestamp.' })
  'created[gte]'?: string;

  @ApiPropertyOptional({ name: 'created[lt]', description: 'ISO 8601 timestamp: created before' })
  @OptionalNotNull()
  @IsISO8601(TIMESTAMP, { message: 'created[lt] must be an ISO 8601 timestamp.' })
  'created[lt]'?: string;
}
