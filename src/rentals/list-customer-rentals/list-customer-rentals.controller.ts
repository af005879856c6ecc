import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { ListCustomerRentalsRequestDto } from '../list-rentals/list-rentals.request.dto';
import { RentalResource } from '../rental.resource';
import { ListCustomerRentalsQuery } from './list-customer-rentals.query';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class ListCustomerRentalsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/rentals')
  @ApiOperation({ summary: "List a customer's rentals, newest first" })
  list(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Query() params: ListCustomerRentalsRequestDto,
  ): Promise<Page<RentalResource>> {
    return this.queries.execute(new ListCustomerRentalsQuery(auth, id, params));
  }
}
