import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { Page } from '../../shared/http/list-page';
import { ListRequestDto } from '../../shared/http/list-request.dto';
import { PlanResource } from '../plan.resource';
import { PlanQueries } from '../read-models/plan.queries';

export class ListPlansQuery {
  constructor(
    readonly auth: AuthContext,
    readonly params: ListRequestDto,
  ) {}
}

/** Lists read only the read model, which a write has updated before it returned. */
@QueryHandler(ListPlansQuery)
export class ListPlansHandler implements IQueryHandler<ListPlansQuery, Page<PlanResource>> {
  constructor(private readonly plans: PlanQueries) {}

  execute({ auth, params }: ListPlansQuery): Promise<Page<PlanResource>> {
    const { limit = 20, starting_after, ending_before } = params;
    return this.plans.list(auth.accountId, auth.livemode, { limit, starting_after, ending_before });
  }
}
