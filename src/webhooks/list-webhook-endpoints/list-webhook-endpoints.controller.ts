import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { ListRequestDto } from '../../shared/http/list-request.dto';
import { WebhookEndpointResource } from '../webhook-endpoint.resource';
import { ListWebhookEndpointsQuery } from './list-webhook-endpoints.query';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhook_endpoints')
export class ListWebhookEndpointsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List webhook endpoints, newest first' })
  list(@Auth() auth: AuthContext, @Query() params: ListRequestDto): Promise<Page<WebhookEndpointResource>> {
    return this.queries.execute(new ListWebhookEndpointsQuery(auth, params));
  }
}
