import { AuthContext } from '../../shared/auth/auth-context';
import { CustomerResource } from '../customer.resource';
import { CreateCustomerRequestDto } from './create-customer.request.dto';

export class CreateCustomerCommand {
  constructor(
    readonly auth: AuthContext,
    readonly body: CreateCustomerRequestDto,
  ) {}
}

/** `created` is false when an external_id upsert updated an existing customer. */
export interface CreateCustomerResult {
  created: boolean;
  customer: CustomerResource;
}
