import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { PlanResource } from '../plan.resource';
import { CreatePlanCommand } from './create-plan.command';
import { CreatePlanRequestDto } from './create-plan.request.dto';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('v1/plans')
export class CreatePlanController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a plan: a name and a quota of units per 30-day period' })
  create(@Auth() auth: AuthContext, @Body() body: CreatePlanRequestDto): Promise<PlanResource> {
    return this.commands.execute(new CreatePlanCommand(auth, body));
  }
}
