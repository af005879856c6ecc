import { Body, Controller, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { WebhookEndpointResource } from '../webhook-endpoint.resource';
import { UpdateWebhookEndpointCommand } from './update-webhook-endpoint.command';
import { UpdateWebhookEndpointRequestDto } from './update-webhook-endpoint.request.dto';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhook_endpoints')
export class UpdateWebhookEndpointController {
  constructor(private readonly commands: CommandBus) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Update a webhook endpoint (url, enabled_events, description, disabled)' })
  update(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: UpdateWebhookEndpointRequestDto,
  ): Promise<WebhookEndpointResource> {
    return this.commands.execute(new UpdateWebhookEndpointCommand(auth, id, body));
  }
}
