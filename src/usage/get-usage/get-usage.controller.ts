import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { UsageResource } from '../usage.resource';
import { GetUsageQuery } from './get-usage.query';

@ApiTags('usage')
@ApiBearerAuth()
@Controller('v1/customers')
export class GetUsageController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/usage')
  @ApiOperation({ summary: "A customer's plan, current period quota state and last 24 periods" })
  retrieve(@Auth() auth: AuthContext, @Param('id') id: string): Promise<UsageResource> {
    return this.queries.execute(new GetUsageQuery(auth, id));
  }
}
