import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { PointInTime } from '../../events/point-in-time';
import { ResourceTimeline } from '../../events/resource-timeline';
import { customerStream } from '../customer.events';
import { CustomerResource, isCustomerId } from '../customer.resource';
import { CustomerQueries } from '../read-models/customer.queries';

export class GetCustomerQuery {
  constructor(
    readonly auth: AuthContext,
    readonly customerId: string,
    /** `?as_of` / `?version`: the customer as it was then; null for now. */
    readonly point: PointInTime | null = null,
  ) {}
}

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery, CustomerResource> {
  constructor(
    private readonly customers: CustomerQueries,
    private readonly timeline: ResourceTimeline,
  ) {}

  async execute({ auth, customerId, point }: GetCustomerQuery): Promise<CustomerResource> {
    const customer = point
      ? await this.past(auth, customerId, point)
      : await this.customers.findById(auth.accountId, auth.livemode, customerId);
    if (!customer) throw new NotFoundError('customer', customerId);
    return customer;
  }

  /**
   * SPEC §3 `as_of` / `version`: folded from the stream; null if it did not exist then. A
   * deleted customer is a 404 at every point too (docs/decisions.md): its past holds only the
   * husk erasure left, and no read model row, which is what the check below asks.
   */
  private async past(auth: AuthContext, customerId: string, point: PointInTime): Promise<CustomerResource | null> {
    if (!isCustomerId(customerId)) return null;
    if (!(await this.customers.findById(auth.accountId, auth.livemode, customerId))) return null;
    const view = await this.timeline.at(customerStream(customerId), point);
    if (!view || view.account_id !== auth.accountId || view.livemode !== auth.livemode) return null;
    return view.object as unknown as CustomerResource;
  }
}
