import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { CustomerQueries } from '../../customers/read-models/customer.queries';
import { AuthContext } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { Page } from '../../shared/http/list-page';
import { ListCustomerRentalsRequestDto } from '../list-rentals/list-rentals.request.dto';
import { RentalQueries } from '../read-models/rental.queries';
import { RentalResource } from '../rental.resource';

export class ListCustomerRentalsQuery {
  constructor(
    readonly auth: AuthContext,
    readonly customerId: string,
    readonly params: ListCustomerRentalsRequestDto,
  ) {}
}

/**
 * GET /v1/customers/{id}/rentals: the rental list filtered to one customer. A customer this
 * key cannot see (missing, deleted, other account or mode) is a 404, not an empty list.
 */
@QueryHandler(ListCustomerRentalsQuery)
export class ListCustomerRentalsHandler implements IQueryHandler<ListCustomerRentalsQuery, Page<RentalResource>> {
  constructor(
    private readonly rentals: RentalQueries,
    private readonly customers: CustomerQueries,
  ) {}

  async execute({ auth, customerId, params }: ListCustomerRentalsQuery): Promise<Page<RentalResource>> {
    if (!(await this.customers.findById(auth.accountId, auth.livemode, customerId))) {
      throw new NotFoundError('customer', customerId);
    }
    const { limit = 20, starting_after, ending_before, status, vehicle_id, booking_id } = params;
    return this.rentals.list(
      auth.accountId,
      auth.livemode,
      { status, customer_id: customerId, vehicle_id, booking_id },
      { limit, starting_after, ending_before },
    );
  }
}
