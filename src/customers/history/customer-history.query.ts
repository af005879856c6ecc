import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { HistoryEntry, ResourceTimeline } from '../../events/resource-timeline';
import { customerStream } from '../customer.events';
import { isCustomerId } from '../customer.resource';

export class CustomerHistoryQuery {
  constructor(
    readonly auth: AuthContext,
    readonly customerId: string,
  ) {}
}

/** Every change, oldest first, in the list envelope (all of it: one page). */
export interface CustomerHistory {
  object: 'list';
  data: HistoryEntry[];
  has_more: false;
  next_cursor: null;
}

/** SPEC §7: read straight from the customer's stream, so it is exact at any moment. */
@QueryHandler(CustomerHistoryQuery)
export class CustomerHistoryHandler implements IQueryHandler<CustomerHistoryQuery, CustomerHistory> {
  constructor(private readonly timeline: ResourceTimeline) {}

  async execute({ auth, customerId }: CustomerHistoryQuery): Promise<CustomerHistory> {
    if (!isCustomerId(customerId)) throw new NotFoundError('customer', customerId);
    const { current, entries } = await this.timeline.history(customerStream(customerId));
    // SPEC §2: another account's or mode's customer is a 404, exactly as if absent; so is a
    // deleted one (SPEC §3), whose events stay in the log and in GET /v1/events.
    if (!current || current.account_id !== auth.accountId || current.livemode !== auth.livemode || current.object.deleted) {
      throw new NotFoundError('customer', customerId);
    }
    return { object: 'list', data: entries, has_more: false, next_cursor: null };
  }
}
