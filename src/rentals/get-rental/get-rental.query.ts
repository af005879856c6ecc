import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { PointInTime } from '../../events/point-in-time';
import { ResourceTimeline } from '../../events/resource-timeline';
import { AuthContext } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { RentalQueries } from '../read-models/rental.queries';
import { rentalStream } from '../rental.events';
import { isRentalId, RentalResource } from '../rental.resource';

export class GetRentalQuery {
  constructor(
    readonly auth: AuthContext,
    readonly rentalId: string,
    /** `?as_of` / `?version`: the rental as it was then; null for now. */
    readonly point: PointInTime | null = null,
  ) {}
}

@QueryHandler(GetRentalQuery)
export class GetRentalHandler implements IQueryHandler<GetRentalQuery, RentalResource> {
  constructor(
    private readonly rentals: RentalQueries,
    private readonly timeline: ResourceTimeline,
  ) {}

  async execute({ auth, rentalId, point }: GetRentalQuery): Promise<RentalResource> {
    const rental = point
      ? await this.past(auth, rentalId, point)
      : await this.rentals.findById(auth.accountId, auth.livemode, rentalId);
    if (!rental) throw new NotFoundError('rental', rentalId);
    return rental;
  }

  /** SPEC §4 `as_of` / `version`: folded from the stream; null if it did not exist then. */
  private async past(auth: AuthContext, rentalId: string, point: PointInTime): Promise<RentalResource | null> {
    if (!isRentalId(rentalId)) return null;
    const view = await this.timeline.at(rentalStream(rentalId), point);
    if (!view || view.account_id !== auth.accountId || view.livemode !== auth.livemode) return null;
    return view.object as unknown as RentalResource;
  }
}
