import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { WebhookDispatcher } from '../delivery/webhook-dispatcher';
import { assertWebhookUrl, toWebhookEndpointResource, WebhookEndpointResource } from '../webhook-endpoint.resource';
import { WebhookEndpoints } from '../webhook-endpoints';
import { UpdateWebhookEndpointCommand } from './update-webhook-endpoint.command';

@CommandHandler(UpdateWebhookEndpointCommand)
export class UpdateWebhookEndpointHandler implements ICommandHandler<UpdateWebhookEndpointCommand, WebhookEndpointResource> {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async execute({ auth, endpointId, body }: UpdateWebhookEndpointCommand): Promise<WebhookEndpointResource> {
    const before = await this.endpoints.get(auth, endpointId);
    if (body.url !== undefined) assertWebhookUrl(body.url, auth.livemode);
    await this.endpoints.update(before.id, body, Date.now());
    // Re-enabled: the deliveries that waited while it was disabled may go now.
    if (body.disabled === false && before.disabled === 1) this.dispatcher.wake();
    return toWebhookEndpointResource(await this.endpoints.get(auth, endpointId));
  }
}
