import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InvalidRequestError } from '../../shared/errors/api-error';
import { newId } from '../../shared/ids';
import { newSigningSecret } from '../delivery/webhook-signature';
import { assertWebhookUrl, toWebhookEndpointResource, WebhookEndpointResource, WebhookEndpointRow } from '../webhook-endpoint.resource';
import { WebhookEndpoints } from '../webhook-endpoints';
import { sortKey } from '../webhooks.schema';
import { CreateWebhookEndpointCommand } from './create-webhook-endpoint.command';

@CommandHandler(CreateWebhookEndpointCommand)
export class CreateWebhookEndpointHandler implements ICommandHandler<CreateWebhookEndpointCommand, WebhookEndpointResource> {
  constructor(private readonly endpoints: WebhookEndpoints) {}

  async execute({ auth, body }: CreateWebhookEndpointCommand): Promise<WebhookEndpointResource> {
    if (body.url === undefined) throw new InvalidRequestError('url is required.', 'url');
    if (body.enabled_events === undefined) throw new InvalidRequestError('enabled_events is required.', 'enabled_events');
    assertWebhookUrl(body.url, auth.livemode);
    const now = Date.now();
    const id = newId('we');
    const row: WebhookEndpointRow = {
      id,
      account_id: auth.accountId,
      livemode: auth.livemode ? 1 : 0,
      url: body.url,
      enabled_events: JSON.stringify(body.enabled_events),
      description: body.description ?? null,
      disabled: 0,
      secret: newSigningSecret(),
      previous_secret: null,
      previous_secret_expires_at: null,
      failing_since: null,
      sort_key: sortKey(now, id),
      created_at: now,
      updated_at: now,
    };
    await this.endpoints.insert(row);
    // The only response that carries the secret (SPEC §9); later reads never show it.
    return { ...toWebhookEndpointResource(row), secret: row.secret };
  }
}
