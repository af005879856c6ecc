import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { ReplayWebhookEventsCommand, WebhookReplay } from './replay-webhook-events.command';
import { ReplayWebhookEventsRequestDto } from './replay-webhook-events.request.dto';

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('v1/webhook_endpoints')
export class ReplayWebhookEventsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: "Send the log's events created in [since, until) to this endpoint again" })
  replay(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: ReplayWebhookEventsRequestDto,
  ): Promise<WebhookReplay> {
    return this.commands.execute(new ReplayWebhookEventsCommand(auth, id, body));
  }
}
