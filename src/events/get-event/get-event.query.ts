import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { isPublicEventId, PublicEvent } from '../public-event';
import { EventQueries } from '../read-models/event.queries';

export class GetEventQuery {
  constructor(
    readonly auth: AuthContext,
    readonly eventId: string,
  ) {}
}

@QueryHandler(GetEventQuery)
export class GetEventHandler implements IQueryHandler<GetEventQuery, PublicEvent> {
  constructor(private readonly events: EventQueries) {}

  async execute({ auth, eventId }: GetEventQuery): Promise<PublicEvent> {
    // SPEC §2: another account's or mode's event is a 404, exactly as if it did not exist.
    const event = isPublicEventId(eventId) ? await this.events.findById(auth.accountId, auth.livemode, eventId) : null;
    if (!event) throw new NotFoundError('event', eventId);
    return event;
  }
}
