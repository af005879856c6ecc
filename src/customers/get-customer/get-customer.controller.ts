import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { CustomerResource } from '../customer.resource';
import { GetCustomerQuery } from './get-customer.query';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class GetCustomerController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a customer' })
  retrieve(@Auth() auth: AuthContext, @Param('id') id: string): Promise<CustomerResource> {
    return this.queries.execute(new GetCustomerQuery(auth, id));
  }
}
