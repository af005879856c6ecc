import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { OptionalNotNull } from '../../shared/http/validators';
import { WebhookEndpointFieldsDto } from '../webhook-endpoint-fields.dto';

/** PATCH /v1/webhook_endpoints/{id}: every field optional; `disabled: false` re-enables. */
export class UpdateWebhookEndpointRequestDto extends WebhookEndpointFieldsDto {
  @ApiPropertyOptional({ description: 'A disabled endpoint is sent nothing; its pending deliveries wait.' })
  @OptionalNotNull()
  @IsBoolean()
  disabled?: boolean;
}
