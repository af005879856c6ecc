import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { WebhookEndpointResource } from '../webhook-endpoint.resource';
import { RotateWebhookSecretCommand } from './rotate-webhook-secret.command';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhook_endpoints')
export class RotateWebhookSecretController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/rotate_secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue a new signing secret; the old one keeps signing alongside for 24 hours' })
  rotate(@Auth() auth: AuthContext, @Param('id') id: string): Promise<WebhookEndpointResource> {
    return this.commands.execute(new RotateWebhookSecretCommand(auth, id));
  }
}
