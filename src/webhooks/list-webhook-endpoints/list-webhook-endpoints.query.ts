import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { ListRequestDto } from '../../shared/http/list-request.dto';
import { WebhookEndpointResource } from '../webhook-endpoint.resource';
import { WebhookEndpoints } from '../webhook-endpoints';

export class ListWebhookEndpointsQuery {
  constructor(
    readonly auth: AuthContext,
    readonly params: ListRequestDto,
  ) {}
}

@QueryHandler(ListWebhookEndpointsQuery)
export class ListWebhookEndpointsHandler implements IQueryHandler<ListWebhookEndpointsQuery, Page<WebhookEndpointResource>> {
  constructor(private readonly endpoints: WebhookEndpoints) {}

  execute({ auth, params }: ListWebhookEndpointsQuery): Promise<Page<WebhookEndpointResource>> {
    const { limit = 20, starting_after, ending_before } = params;
    return this.endpoints.list(auth, { limit, starting_after, ending_before });
  }
}
