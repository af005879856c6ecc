import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { pointInTime, PointInTimeRequestDto } from '../../events/point-in-time';
import { CustomerResource } from '../customer.resource';
import { GetCustomerQuery } from './get-customer.query';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class GetCustomerController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a customer, now or as it was at a time or version' })
  retrieve(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Query() params: PointInTimeRequestDto,
  ): Promise<CustomerResource> {
    return this.queries.execute(new GetCustomerQuery(auth, id, pointInTime(params)));
  }
}
