import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { WebhookDispatcher } from '../delivery/webhook-dispatcher';
import { WebhookDeliveries } from '../webhook-deliveries';
import { WebhookDeliveryResource } from '../webhook-delivery.resource';
import { RetryWebhookDeliveryCommand } from './retry-webhook-delivery.command';

/**
 * Re-queues a delivery now. It keeps its place in its resource's order: if an earlier
 * delivery about the same resource is still pending, this one goes right after it.
 */
@CommandHandler(RetryWebhookDeliveryCommand)
export class RetryWebhookDeliveryHandler implements ICommandHandler<RetryWebhookDeliveryCommand, WebhookDeliveryResource> {
  constructor(
    private readonly deliveries: WebhookDeliveries,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  async execute({ auth, deliveryId }: RetryWebhookDeliveryCommand): Promise<WebhookDeliveryResource> {
    const delivery = await this.deliveries.get(auth, deliveryId);
    await this.deliveries.requeue(delivery.id, Date.now());
    this.dispatcher.wake();
    return this.deliveries.get(auth, deliveryId);
  }
}
