import { Body, Controller, Headers, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { parseIfMatch } from '../../shared/http/etag.interceptor';
import { PlanResource } from '../plan.resource';
import { UpdatePlanCommand } from './update-plan.command';
import { UpdatePlanRequestDto } from './update-plan.request.dto';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('v1/plans')
export class UpdatePlanController {
  constructor(private readonly commands: CommandBus) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Update a plan (metadata is merged; a no-op appends nothing)' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag last seen; stale is a 412' })
  update(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Body() body: UpdatePlanRequestDto,
    @Headers('if-match') ifMatch?: string,
  ): Promise<PlanResource> {
    return this.commands.execute(new UpdatePlanCommand(auth, id, body, parseIfMatch(ifMatch)));
  }
}
