import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { RentalHistory, RentalHistoryQuery } from './rental-history.query';

@ApiTags('rentals')
@ApiBearerAuth()
@Controller('v1/rentals')
export class RentalHistoryController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/history')
  @ApiOperation({ summary: "A rental's every change, oldest first" })
  history(@Auth() auth: AuthContext, @Param('id') id: string): Promise<RentalHistory> {
    return this.queries.execute(new RentalHistoryQuery(auth, id));
  }
}
