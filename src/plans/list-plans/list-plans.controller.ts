import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { ListRequestDto } from '../../shared/http/list-request.dto';
import { PlanResource } from '../plan.resource';
import { ListPlansQuery } from './list-plans.query';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('v1/plans')
export class ListPlansController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List plans, newest first' })
  list(@Auth() auth: AuthContext, @Query() params: ListRequestDto): Promise<Page<PlanResource>> {
    return this.queries.execute(new ListPlansQuery(auth, params));
  }
}
