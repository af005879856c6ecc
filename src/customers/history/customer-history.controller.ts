import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { CustomerHistory, CustomerHistoryQuery } from './customer-history.query';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomerHistoryController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/history')
  @ApiOperation({ summary: "A customer's every change, oldest first" })
  history(@Auth() auth: AuthContext, @Param('id') id: string): Promise<CustomerHistory> {
    return this.queries.execute(new CustomerHistoryQuery(auth, id));
  }
}
