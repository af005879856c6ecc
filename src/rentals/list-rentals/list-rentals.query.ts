import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { RentalQueries } from '../read-models/rental.queries';
import { RentalResource } from '../rental.resource';
import { ListRentalsRequestDto } from './list-rentals.request.dto';

export class ListRentalsQuery {
  constructor(
    readonly auth: AuthContext,
    readonly params: ListRentalsRequestDto,
  ) {}
}

/** Lists read only the read model, which a write has updated before it returned. */
@QueryHandler(ListRentalsQuery)
export class ListRentalsHandler implements IQueryHandler<ListRentalsQuery, Page<RentalResource>> {
  constructor(private readonly rentals: RentalQueries) {}

  execute({ auth, params }: ListRentalsQuery): Promise<Page<RentalResource>> {
    const { limit = 20, starting_after, ending_before, status, customer, vehicle_id, booking_id } = params;
    return this.rentals.list(
      auth.accountId,
      auth.livemode,
      { status, customer_id: customer, vehicle_id, booking_id },
      { limit, starting_after, ending_before },
    );
  }
}
