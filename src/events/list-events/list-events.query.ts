import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { PublicEvent } from '../public-event';
import { EventQueries } from '../read-models/event.queries';
import { ListEventsRequestDto } from './list-events.request.dto';

export class ListEventsQuery {
  constructor(
    readonly auth: AuthContext,
    readonly params: ListEventsRequestDto,
  ) {}
}

/** Newest first, paged by id exactly like customers (SPEC §2). */
@QueryHandler(ListEventsQuery)
export class ListEventsHandler implements IQueryHandler<ListEventsQuery, Page<PublicEvent>> {
  constructor(private readonly events: EventQueries) {}

  execute({ auth, params }: ListEventsQuery): Promise<Page<PublicEvent>> {
    const { limit = 20, starting_after, ending_before, type, resource_id } = params;
    // Normalised, so the stored `toISOString()` text compares in time order.
    const at = (value: string | undefined) => (value === undefined ? undefined : new Date(value).toISOString());
    return this.events.list(
      auth.accountId,
      auth.livemode,
      { type, resource_id, created_gte: at(params['created[gte]']), created_lt: at(params['created[lt]']) },
      { limit, starting_after, ending_before },
    );
  }
}
