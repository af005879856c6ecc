import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { PublicEvent } from '../public-event';
import { ListEventsQuery } from './list-events.query';
import { ListEventsRequestDto } from './list-events.request.dto';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class ListEventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "List the account's events, newest first" })
  list(@Auth() auth: AuthContext, @Query() params: ListEventsRequestDto): Promise<Page<PublicEvent>> {
    return this.queries.execute(new ListEventsQuery(auth, params));
  }
}
