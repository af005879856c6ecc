import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { RentalQueries } from '../read-models/rental.queries';
import { RentalResource } from '../rental.resource';

export class GetRentalQuery {
  constructor(
    readonly auth: AuthContext,
    readonly rentalId: string,
  ) {}
}

@QueryHandler(GetRentalQuery)
export class GetRentalHandler implements IQueryHandler<GetRentalQuery, RentalResource> {
  constructor(private readonly rentals: RentalQueries) {}

  async execute({ auth, rentalId }: GetRentalQuery): Promise<RentalResource> {
    const rental = await this.rentals.findById(auth.accountId, auth.livemode, rentalId);
    if (!rental) throw new NotFoundError('rental', rentalId);
    return rental;
  }
}
