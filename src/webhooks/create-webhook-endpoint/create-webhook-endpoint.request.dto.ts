import { WebhookEndpointFieldsDto } from '../webhook-endpoint-fields.dto';

/** POST /v1/webhook_endpoints: `url` and `enabled_events` are required (checked by the handler). */
export class CreateWebhookEndpointRequestDto extends WebhookEndpointFieldsDto {}
