import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { toWebhookEndpointResource, WebhookEndpointResource } from '../webhook-endpoint.resource';
import { WebhookEndpoints } from '../webhook-endpoints';

export class GetWebhookEndpointQuery {
  constructor(
    readonly auth: AuthContext,
    readonly endpointId: string,
  ) {}
}

@QueryHandler(GetWebhookEndpointQuery)
export class GetWebhookEndpointHandler implements IQueryHandler<GetWebhookEndpointQuery, WebhookEndpointResource> {
  constructor(private readonly endpoints: WebhookEndpoints) {}

  async execute({ auth, endpointId }: GetWebhookEndpointQuery): Promise<WebhookEndpointResource> {
    return toWebhookEndpointResource(await this.endpoints.get(auth, endpointId));
  }
}
