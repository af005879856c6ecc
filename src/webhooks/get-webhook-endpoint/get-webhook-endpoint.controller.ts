import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { WebhookEndpointResource } from '../webhook-endpoint.resource';
import { GetWebhookEndpointQuery } from './get-webhook-endpoint.query';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhook_endpoints')
export class GetWebhookEndpointController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a webhook endpoint (without its secret)' })
  retrieve(@Auth() auth: AuthContext, @Param('id') id: string): Promise<WebhookEndpointResource> {
    return this.queries.execute(new GetWebhookEndpointQuery(auth, id));
  }
}
