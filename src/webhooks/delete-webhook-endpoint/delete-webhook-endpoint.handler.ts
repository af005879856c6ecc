import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { WebhookEndpoints } from '../webhook-endpoints';
import { DeletedWebhookEndpoint, DeleteWebhookEndpointCommand } from './delete-webhook-endpoint.command';

@CommandHandler(DeleteWebhookEndpointCommand)
export class DeleteWebhookEndpointHandler implements ICommandHandler<DeleteWebhookEndpointCommand, DeletedWebhookEndpoint> {
  constructor(private readonly endpoints: WebhookEndpoints) {}

  async execute({ auth, endpointId }: DeleteWebhookEndpointCommand): Promise<DeletedWebhookEndpoint> {
    const endpoint = await this.endpoints.get(auth, endpointId);
    // A send already in flight finishes; its result finds no delivery row and is dropped.
    await this.endpoints.delete(endpoint.id);
    return { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
  }
}
