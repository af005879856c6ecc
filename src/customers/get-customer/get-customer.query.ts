import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { CustomerResource } from '../customer.resource';
import { CustomerQueries } from '../read-models/customer.queries';

export class GetCustomerQuery {
  constructor(
    readonly auth: AuthContext,
    readonly customerId: string,
  ) {}
}

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery, CustomerResource> {
  constructor(private readonly customers: CustomerQueries) {}

  async execute({ auth, customerId }: GetCustomerQuery): Promise<CustomerResource> {
    const customer = await this.customers.findById(auth.accountId, auth.livemode, customerId);
    if (!customer) throw new NotFoundError('customer', customerId);
    return customer;
  }
}
