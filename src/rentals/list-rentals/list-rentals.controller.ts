import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { RentalResource } from '../rental.resource';
import { ListRentalsQuery } from './list-rentals.query';
import { ListRentalsRequestDto } from './list-rentals.request.dto';

@ApiTags('rentals')
@ApiBearerAuth()
@Controller('v1/rentals')
export class ListRentalsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List rentals, newest first' })
  list(@Auth() auth: AuthContext, @Query() params: ListRentalsRequestDto): Promise<Page<RentalResource>> {
    return this.queries.execute(new ListRentalsQuery(auth, params));
  }
}
