import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { CustomerResource } from '../customer.resource';
import { CustomerQueries } from '../read-models/customer.queries';
import { ListCustomersRequestDto } from './list-customers.request.dto';

export class ListCustomersQuery {
  constructor(
    readonly auth: AuthContext,
    readonly params: ListCustomersRequestDto,
  ) {}
}

/** Lists read only the read model, which a write has updated before it returned. */
@QueryHandler(ListCustomersQuery)
export class ListCustomersHandler implements IQueryHandler<ListCustomersQuery, Page<CustomerResource>> {
  constructor(private readonly customers: CustomerQueries) {}

  execute({ auth, params }: ListCustomersQuery): Promise<Page<CustomerResource>> {
    const { limit = 20, starting_after, ending_before, email, external_id, status, archived, plan_id } = params;
    return this.customers.list(
      auth.accountId,
      auth.livemode,
      { email, external_id, status, archived, plan_id },
      { limit, starting_after, ending_before },
    );
  }
}
