import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata } from '../../shared/auth/auth-context';
import { InvalidRequestError } from '../../shared/errors/api-error';
import { EVENT_STORE, EventStore } from '../../shared/event-store/event-store.port';
import { StreamCommandExecutor } from '../../shared/event-store/stream-command.executor';
import { newResourceId } from '../../shared/ids';
import { requirePlan } from '../../plans/plan-reference';
import { PlanQueries } from '../../plans/read-models/plan.queries';
import { touchesQuotaTerms } from '../../usage/customer-terms';
import { QuotaLedger } from '../../usage/quota-ledger';
import { CustomerCodec } from '../customer.codec';
import { CustomerCommand, customerDecider } from '../customer.decider';
import { customerStream, CustomerState } from '../customer.events';
import { CustomerQueries } from '../read-models/customer.queries';
import { reserveExternalId } from '../external-id.reservation';
import { CreateCustomerCommand, CreateCustomerResult } from './create-customer.command';

@CommandHandler(CreateCustomerCommand)
export class CreateCustomerHandler implements ICommandHandler<CreateCustomerCommand, CreateCustomerResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly executor: StreamCommandExecutor,
    private readonly codec: CustomerCodec,
    private readonly queries: CustomerQueries,
    private readonly plans: PlanQueries,
    private readonly ledger: QuotaLedger,
  ) {}

  async execute({ auth, body }: CreateCustomerCommand): Promise<CreateCustomerResult> {
    const { external_id: externalId, ...profile } = body;
    if (profile.plan_id) await requirePlan(this.plans, auth, profile.plan_id);
    const customerId = externalId
      ? await reserveExternalId(
          this.store,
          { accountId: auth.accountId, livemode: auth.livemode, externalId, requestId: auth.requestId },
          newResourceId('cu', auth),
        )
      : newResourceId('cu', auth);
    const result = await this.executor.execute({
      streamName: customerStream(customerId),
      decider: customerDecider,
      codec: this.codec,
      metadata: eventMetadata(auth),
      streamIsNew: !externalId && !auth.idempotencyKey,
      // Decided on the state just read: an upsert that races another one for the same
      // external_id creates once and updates on the retry.
      command: (state: CustomerState): CustomerCommand => {
        const now = new Date();
        // SPEC §3: an upsert that sets a plan rolls the quota period forward (a renewal).
        if (state.status === 'present') {
          return { type: 'UpdateCustomer', data: { changes: profile, resetPeriod: typeof profile.plan_id === 'string', now } };
        }
        if (!profile.full_name) throw new InvalidRequestError('full_name is required to create a customer.', 'full_name');
        return {
          type: 'CreateCustomer',
          data: {
            customerId,
            accountId: auth.accountId,
            livemode: auth.livemode,
            externalId: externalId ?? null,
            profile: { ...profile, full_name: profile.full_name },
            now,
          },
        };
      },
    });
    // Before answering: a usage decided on the old terms can then no longer land (quota-ledger.ts).
    if (touchesQuotaTerms(result.events)) await this.ledger.syncTerms(customerId, eventMetadata(auth));
    // The read model, not the fold: it already holds this write (read-your-writes) and also
    // the fields other streams derive (rental stats), so the reply equals a later GET.
    const customer = await this.queries.findById(auth.accountId, auth.livemode, customerId);
    if (!customer) throw new Error(`customer ${customerId} missing from the read model after a write`);
    return { created: result.events[0]?.type === 'CustomerCreated', customer };
  }
}
