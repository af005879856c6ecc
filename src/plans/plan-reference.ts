import { InvalidRequestError } from '../shared/errors/api-error';
import { PlanQueries } from './read-models/plan.queries';

/**
 * A `plan_id` sent by a client must name a plan of the caller's account and mode; anything
 * else is a 400 on that parameter (the URL is fine, a parameter is not), like an unknown
 * customer_id on a rental. Plans are never deleted, so a plan found here stays valid.
 */
export async function requirePlan(
  plans: PlanQueries,
  scope: { accountId: string; livemode: boolean },
  planId: string,
  param = 'plan_id',
): Promise<void> {
  const plan = await plans.findById(scope.accountId, scope.livemode, planId);
  if (!plan) throw new InvalidRequestError(`No such plan: '${planId}'`, param, 'resource_missing');
}
