import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { ListRequestDto } from '../../shared/http/list-request.dto';
import { WebhookDeliveries } from '../webhook-deliveries';
import { WebhookDeliveryResource } from '../webhook-delivery.resource';
import { WebhookEndpoints } from '../webhook-endpoints';

export class ListWebhookDeliveriesQuery {
  constructor(
    readonly auth: AuthContext,
    readonly endpointId: string,
    readonly params: ListRequestDto,
  ) {}
}

/** An endpoint's deliveries, newest first, each with every attempt made so far. */
@QueryHandler(ListWebhookDeliveriesQuery)
export class ListWebhookDeliveriesHandler implements IQueryHandler<ListWebhookDeliveriesQuery, Page<WebhookDeliveryResource>> {
  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  async execute({ auth, endpointId, params }: ListWebhookDeliveriesQuery): Promise<Page<WebhookDeliveryResource>> {
    const endpoint = await this.endpoints.get(auth, endpointId);
    const { limit = 20, starting_after, ending_before } = params;
    return this.deliveries.list(endpoint.id, { limit, starting_after, ending_before });
  }
}
