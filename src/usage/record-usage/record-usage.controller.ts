import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { UsageResource } from '../usage.resource';
import { RecordUsageCommand } from './record-usage.command';
import { RecordUsageRequestDto } from './record-usage.request.dto';

@ApiTags('usage')
@ApiBearerAuth()
@Controller('v1/customers')
export class RecordUsageController {
  constructor(private readonly commands: CommandBus) {}

  /** 200, not 201: the answer is the customer's usage after the record, not a new resource. */
  @Post(':id/usage')
  @HttpCode(200)
  @ApiOperation({ summary: "Record units used; 402 when over quota, without a plan, PAUSED or CANCELLED (nothing recorded)" })
  record(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: RecordUsageRequestDto): Promise<UsageResource> {
    return this.commands.execute(new RecordUsageCommand(auth, id, body.quantity));
  }
}
