import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { PublicEvent } from '../public-event';
import { GetEventQuery } from './get-event.query';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class GetEventController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve an event' })
  retrieve(@Auth() auth: AuthContext, @Param('id') id: string): Promise<PublicEvent> {
    return this.queries.execute(new GetEventQuery(auth, id));
  }
}
