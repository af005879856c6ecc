import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import { OptionalNotNull } from '../../shared/http/validators';

/** POST /v1/webhook_endpoints/{id}/replay: events created in [since, until) are sent again. */
export class ReplayWebhookEventsRequestDto {
  @ApiProperty({ example: '2025-01-01T00:00:00.000Z' })
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 time.' })
  since!: string;

  @ApiPropertyOptional({ example: '2025-01-02T00:00:00.000Z', description: 'Defaults to now' })
  @OptionalNotNull()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 time.' })
  until?: string;
}
