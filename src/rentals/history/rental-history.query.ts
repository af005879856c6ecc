import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { HistoryEntry, ResourceTimeline } from '../../events/resource-timeline';
import { AuthContext } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { rentalStream } from '../rental.events';
import { isRentalId } from '../rental.resource';

export class RentalHistoryQuery {
  constructor(
    readonly auth: AuthContext,
    readonly rentalId: string,
  ) {}
}

export interface RentalHistory {
  object: 'list';
  data: HistoryEntry[];
  has_more: false;
  next_cursor: null;
}

/** SPEC §7: every change of the rental, oldest first, straight from its stream. */
@QueryHandler(RentalHistoryQuery)
export class RentalHistoryHandler implements IQueryHandler<RentalHistoryQuery, RentalHistory> {
  constructor(private readonly timeline: ResourceTimeline) {}

  async execute({ auth, rentalId }: RentalHistoryQuery): Promise<RentalHistory> {
    if (!isRentalId(rentalId)) throw new NotFoundError('rental', rentalId);
    const { current, entries } = await this.timeline.history(rentalStream(rentalId));
    // SPEC §2: another account's or mode's rental is a 404, exactly as if absent.
    if (!current || current.account_id !== auth.accountId || current.livemode !== auth.livemode) {
      throw new NotFoundError('rental', rentalId);
    }
    return { object: 'list', data: entries, has_more: false, next_cursor: null };
  }
}
