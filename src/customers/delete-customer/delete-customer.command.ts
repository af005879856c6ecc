import { AuthContext } from '../../shared/auth/auth-context';

export class DeleteCustomerCommand {
  constructor(
    readonly auth: AuthContext,
    readonly customerId: string,
    /** If-Match, when sent. */
    readonly expectedVersion?: number,
  ) {}
}
