import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { WebhookEndpointResource } from '../webhook-endpoint.resource';
import { CreateWebhookEndpointCommand } from './create-webhook-endpoint.command';
import { CreateWebhookEndpointRequestDto } from './create-webhook-endpoint.request.dto';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhook_endpoints')
export class CreateWebhookEndpointController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a webhook endpoint; the response is the only one that shows its signing secret' })
  create(@Auth() auth: AuthContext, @Body() body: CreateWebhookEndpointRequestDto): Promise<WebhookEndpointResource> {
    return this.commands.execute(new CreateWebhookEndpointCommand(auth, body));
  }
}
