import { AuthContext } from '../../shared/auth/auth-context';
import { UpdateRentalRequestDto } from './update-rental.request.dto';

export class UpdateRentalCommand {
  constructor(
    readonly auth: AuthContext,
    readonly rentalId: string,
    readonly body: UpdateRentalRequestDto,
    /** If-Match, when sent. */
    readonly expectedVersion?: number,
  ) {}
}
