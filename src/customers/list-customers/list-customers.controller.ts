import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { CustomerResource } from '../customer.resource';
import { ListCustomersQuery } from './list-customers.query';
import { ListCustomersRequestDto } from './list-customers.request.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class ListCustomersController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List customers, newest first' })
  list(@Auth() auth: AuthContext, @Query() params: ListCustomersRequestDto): Promise<Page<CustomerResource>> {
    return this.queries.execute(new ListCustomersQuery(auth, params));
  }
}
