import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newSigningSecret, PREVIOUS_SECRET_GRACE_MS } from '../delivery/webhook-signature';
import { toWebhookEndpointResource, WebhookEndpointResource } from '../webhook-endpoint.resource';
import { WebhookEndpoints } from '../webhook-endpoints';
import { RotateWebhookSecretCommand } from './rotate-webhook-secret.command';

/**
 * SPEC §9: the new secret signs from now on, and the one it replaces keeps signing beside it
 * for 24 h, so a receiver can deploy the new secret without rejecting a single message.
 * Rotating again within the 24 h retires the older one at once: at most two ever sign.
 */
@CommandHandler(RotateWebhookSecretCommand)
export class RotateWebhookSecretHandler implements ICommandHandler<RotateWebhookSecretCommand, WebhookEndpointResource> {
  constructor(private readonly endpoints: WebhookEndpoints) {}

  async execute({ auth, endpointId }: RotateWebhookSecretCommand): Promise<WebhookEndpointResource> {
    const endpoint = await this.endpoints.get(auth, endpointId);
    const secret = newSigningSecret();
    const now = Date.now();
    await this.endpoints.rotateSecret(endpoint.id, secret, now + PREVIOUS_SECRET_GRACE_MS, now);
    return { ...toWebhookEndpointResource(endpoint), secret };
  }
}
