import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, registerDecorator } from 'class-validator';
import { OptionalNotNull, OptionalNullable } from '../shared/http/validators';
import { WEBHOOK_EVENT_TYPES } from './webhook-endpoint.resource';

/** Fields a client may send on create (POST) and on change (PATCH). */
export class WebhookEndpointFieldsDto {
  @ApiPropertyOptional({ example: 'https://example.com/webhooks/renvo', description: 'https in live mode' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ type: [String], example: ['customer.created', 'rental.completed'], description: 'Event types, or ["*"]' })
  @OptionalNotNull()
  @IsEnabledEvents()
  enabled_events?: string[];

  @ApiPropertyOptional({ nullable: true, maxLength: 5000 })
  @OptionalNullable()
  @IsString()
  @MaxLength(5000)
  description?: string | null;
}

const ALLOWED: readonly string[] = WEBHOOK_EVENT_TYPES;

/** SPEC §9: a non-empty list of known types without repeats, or exactly ["*"]. */
function IsEnabledEvents() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isEnabledEvents',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => enabledEventsProblem(value) === null,
        defaultMessage: (args) => enabledEventsProblem(args?.value) ?? 'invalid enabled_events',
      },
    });
}

function enabledEventsProblem(value: unknown): string | null {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
    return 'enabled_events must be a non-empty list of event types, or ["*"].';
  }
  if (value.includes('*')) return value.length === 1 ? null : '"*" must be the only entry of enabled_events.';
  const unknown = value.find((v) => !ALLOWED.includes(v));
  if (unknown !== undefined) return `Unknown event type "${unknown}"; expected one of ${ALLOWED.join(', ')} or "*".`;
  if (new Set(value).size !== value.length) return 'enabled_events lists a type twice.';
  return null;
}
