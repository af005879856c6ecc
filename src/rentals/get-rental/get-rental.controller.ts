import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { pointInTime, PointInTimeRequestDto } from '../../events/point-in-time';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { RentalResource } from '../rental.resource';
import { GetRentalQuery } from './get-rental.query';

@ApiTags('rentals')
@ApiBearerAuth()
@Controller('v1/rentals')
export class GetRentalController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a rental, now or as it was at a time or version' })
  retrieve(
    @Auth() auth: AuthContext,
    @Param('id') id: string,
    @Query() params: PointInTimeRequestDto,
  ): Promise<RentalResource> {
    return this.queries.execute(new GetRentalQuery(auth, id, pointInTime(params)));
  }
}
