import { AuthContext } from '../../shared/auth/auth-context';
import { RentalResource } from '../rental.resource';
import { CreateRentalRequestDto } from './create-rental.request.dto';

export class CreateRentalCommand {
  constructor(
    readonly auth: AuthContext,
    readonly body: CreateRentalRequestDto,
  ) {}
}

/** `created` is false when the booking_id was already used: the existing rental comes back. */
export interface CreateRentalResult {
  created: boolean;
  rental: RentalResource;
}
