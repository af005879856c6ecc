import { AuthContext } from '../../shared/auth/auth-context';
import { UpdateCustomerRequestDto } from './update-customer.request.dto';

export class UpdateCustomerCommand {
  constructor(
    readonly auth: AuthContext,
    readonly customerId: string,
    readonly body: UpdateCustomerRequestDto,
    /** If-Match, when sent. */
    readonly expectedVersion?: number,
  ) {}
}
