import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { PlanResource } from '../plan.resource';
import { GetPlanQuery } from './get-plan.query';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('v1/plans')
export class GetPlanController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a plan' })
  retrieve(@Auth() auth: AuthContext, @Param('id') id: string): Promise<PlanResource> {
    return this.queries.execute(new GetPlanQuery(auth, id));
  }
}
