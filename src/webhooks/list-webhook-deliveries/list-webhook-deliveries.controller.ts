import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { ListRequestDto } from '../../shared/http/list-request.dto';
import { WebhookDeliveryResource } from '../webhook-delivery.resource';
import { ListWebhookDeliveriesQuery } from './list-webhook-deliveries.query';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhook_endpoints')
export class ListWebhookDeliveriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/deliveries')
  @ApiOperation({ summary: "List an endpoint's deliveries, newest first, with every attempt" })
  list(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Query() params: ListRequestDto,
  ): Promise<Page<WebhookDeliveryResource>> {
    return this.queries.execute(new ListWebhookDeliveriesQuery(auth, id, params));
  }
}
