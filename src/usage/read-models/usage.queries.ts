import { Inject, Injectable } from '@nestjs/common';
import { CustomerQueries } from '../../customers/read-models/customer.queries';
import { PlanQueries } from '../../plans/read-models/plan.queries';
import { AuthContext } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { READ_DB, ReadDb } from '../../shared/read-db/read-db.port';
import { toUsageResource, UsageResource } from '../usage.resource';
import { UsageRow } from './usage.projection';

/** The usage object, from read models only; scoped to one account and mode. */
@Injectable()
export class UsageQueries {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly customers: CustomerQueries,
    private readonly plans: PlanQueries,
  ) {}

  async summary(auth: AuthContext, customerId: string): Promise<UsageResource> {
    // SPEC §2: another account's or mode's customer is a 404, exactly as if absent.
    const customer = await this.customers.findById(auth.accountId, auth.livemode, customerId);
    if (!customer) throw new NotFoundError('customer', customerId);
    const plan = customer.plan_id ? await this.plans.findById(auth.accountId, auth.livemode, customer.plan_id) : null;
    const row = await this.db.get<{ doc: string }>(
      'SELECT doc FROM rm_customer_usage WHERE id = $1 AND account_id = $2 AND livemode = $3',
      [customerId, auth.accountId, auth.livemode ? 1 : 0],
    );
    return toUsageResource(customer, plan, row ? (JSON.parse(row.doc) as UsageRow) : null);
  }
}
