import { Controller, Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { DeletedWebhookEndpoint, DeleteWebhookEndpointCommand } from './delete-webhook-endpoint.command';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhook_endpoints')
export class DeleteWebhookEndpointController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a webhook endpoint and its pending deliveries' })
  remove(@Auth() auth: AuthContext, @Param('id') id: string): Promise<DeletedWebhookEndpoint> {
    return this.commands.execute(new DeleteWebhookEndpointCommand(auth, id));
  }
}
