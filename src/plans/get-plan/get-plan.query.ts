import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AuthContext } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { PlanResource } from '../plan.resource';
import { PlanQueries } from '../read-models/plan.queries';

export class GetPlanQuery {
  constructor(
    readonly auth: AuthContext,
    readonly planId: string,
  ) {}
}

@QueryHandler(GetPlanQuery)
export class GetPlanHandler implements IQueryHandler<GetPlanQuery, PlanResource> {
  constructor(private readonly plans: PlanQueries) {}

  async execute({ auth, planId }: GetPlanQuery): Promise<PlanResource> {
    const plan = await this.plans.findById(auth.accountId, auth.livemode, planId);
    if (!plan) throw new NotFoundError('plan', planId);
    return plan;
  }
}
