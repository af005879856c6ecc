import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { WebhookDeliveryResource } from '../webhook-delivery.resource';
import { RetryWebhookDeliveryCommand } from './retry-webhook-delivery.command';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhook_deliveries')
export class RetryWebhookDeliveryController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a delivery again now (one more attempt if it had failed)' })
  retry(@Auth() auth: AuthContext, @Param('id') id: string): Promise<WebhookDeliveryResource> {
    return this.commands.execute(new RetryWebhookDeliveryCommand(auth, id));
  }
}
