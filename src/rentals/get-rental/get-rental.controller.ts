import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { RentalResource } from '../rental.resource';
import { GetRentalQuery } from './get-rental.query';

@ApiTags('rentals')
@ApiBearerAuth()
@Controller('v1/rentals')
export class GetRentalController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a rental' })
  retrieve(@Auth() auth: AuthContext, @Param('id') id: string): Promise<RentalResource> {
    return this.queries.execute(new GetRentalQuery(auth, id));
  }
}
