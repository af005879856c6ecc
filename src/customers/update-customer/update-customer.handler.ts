import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { StreamCommandExecutor } from '../../shared/event-store/stream-command.executor';
import { requirePlan } from '../../plans/plan-reference';
import { PlanQueries } from '../../plans/read-models/plan.queries';
import { touchesQuotaTerms } from '../../usage/customer-terms';
import { QuotaLedger } from '../../usage/quota-ledger';
import { CustomerCodec } from '../customer.codec';
import { CustomerCommand, customerDecider } from '../customer.decider';
import { customerStream, CustomerState, profileEvents } from '../customer.events';
import { CustomerResource, isCustomerId } from '../customer.resource';
import { CustomerQueries } from '../read-models/customer.queries';
import { UpdateCustomerCommand } from './update-customer.command';

@CommandHandler(UpdateCustomerCommand)
export class UpdateCustomerHandler implements ICommandHandler<UpdateCustomerCommand, CustomerResource> {
  constructor(
    private readonly executor: StreamCommandExecutor,
    private readonly codec: CustomerCodec,
    private readonly queries: CustomerQueries,
    private readonly plans: PlanQueries,
    private readonly ledger: QuotaLedger,
  ) {}

  async execute({ auth, customerId, body, expectedVersion }: UpdateCustomerCommand): Promise<CustomerResource> {
    if (!isCustomerId(customerId)) throw new NotFoundError('customer', customerId);
    const { reset_period: resetPeriod, ...changes } = body;
    if (changes.plan_id) await requirePlan(this.plans, auth, changes.plan_id);
    const result = await this.executor.execute({
      streamName: customerStream(customerId),
      decider: customerDecider,
      codec: this.codec,
      metadata: eventMetadata(auth),
      expectedVersion,
      command: (state: CustomerState): CustomerCommand => {
        // SPEC §2: another account's or mode's customer is a 404, exactly as if absent.
        if (
          state.status !== 'present' ||
          state.customer.account_id !== auth.accountId ||
          state.customer.livemode !== auth.livemode
        ) {
          throw new NotFoundError('customer', customerId);
        }
        return { type: 'UpdateCustomer', data: { changes, resetPeriod, now: new Date() } };
      },
    });
    // Before answering: a usage decided on the old terms can then no longer land (quota-ledger.ts).
    if (touchesQuotaTerms(profileEvents(result.events))) await this.ledger.syncTerms(customerId, eventMetadata(auth));
    // The read model holds this write already and the fields derived from rentals too.
    const customer = await this.queries.findById(auth.accountId, auth.livemode, customerId);
    if (!customer) throw new NotFoundError('customer', customerId);
    return customer;
  }
}
