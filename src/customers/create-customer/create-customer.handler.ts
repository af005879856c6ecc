import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AuthContext, eventMetadata } from '../../shared/auth/auth-context';
import { InvalidRequestError } from '../../shared/errors/api-error';
import { EVENT_STORE, EventStore } from '../../shared/event-store/event-store.port';
import { StreamCommandExecutor } from '../../shared/event-store/stream-command.executor';
import { newId, newResourceId } from '../../shared/ids';
import { requirePlan } from '../../plans/plan-reference';
import { PlanQueries } from '../../plans/read-models/plan.queries';
import { touchesQuotaTerms } from '../../usage/customer-terms';
import { QuotaLedger } from '../../usage/quota-ledger';
import { CustomerCodec } from '../customer.codec';
import { CustomerCommand, customerDecider } from '../customer.decider';
import { customerStream, CustomerState, profileEvents } from '../customer.events';
import { CustomerQueries } from '../read-models/customer.queries';
import { ExternalIdOfDeletedCustomer, releaseExternalId, reserveExternalId } from '../external-id.reservation';
import { CreateCustomerCommand, CreateCustomerResult } from './create-customer.command';
import { CreateCustomerRequestDto } from './create-customer.request.dto';

type Profile = Omit<CreateCustomerRequestDto, 'external_id'>;

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
    if (!externalId) return this.write(auth, newResourceId('cu', auth), null, profile);
    const scope = { accountId: auth.accountId, livemode: auth.livemode, externalId, requestId: auth.requestId };
    const ownId = newResourceId('cu', auth);
    let candidate = ownId;
    for (;;) {
      const customerId = await reserveExternalId(this.store, scope, candidate);
      try {
        // A retried Idempotency-Key request whose own customer was deleted since is refused
        // (the decider's resource_deleted): a retry must not bring an erased customer back.
        return await this.write(auth, customerId, externalId, profile, !(auth.idempotencyKey && customerId === ownId));
      } catch (error) {
        if (!(error instanceof ExternalIdOfDeletedCustomer)) throw error;
        // SPEC §3: the external_id's customer was deleted, so it names no customer now and
        // this request creates one. A fresh id: the derived one may be the deleted customer's.
        await releaseExternalId(this.store, scope, customerId);
        candidate = newId('cu');
      }
    }
  }

  private async write(
    auth: AuthContext,
    customerId: string,
    externalId: string | null,
    profile: Profile,
    mayReleaseExternalId = false,
  ): Promise<CreateCustomerResult> {
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
        if (state.status === 'deleted' && mayReleaseExternalId) throw new ExternalIdOfDeletedCustomer();
        if (!profile.full_name) throw new InvalidRequestError('full_name is required to create a customer.', 'full_name');
        return {
          type: 'CreateCustomer',
          data: {
            customerId,
            accountId: auth.accountId,
            livemode: auth.livemode,
            externalId,
            profile: { ...profile, full_name: profile.full_name },
            now,
          },
        };
      },
    });
    // Before answering: a usage decided on the old terms can then no longer land (quota-ledger.ts).
    if (touchesQuotaTerms(profileEvents(result.events))) await this.ledger.syncTerms(customerId, eventMetadata(auth));
    // The read model, not the fold: it already holds this write (read-your-writes) and also
    // the fields other streams derive (rental stats), so the reply equals a later GET.
    const customer = await this.queries.findById(auth.accountId, auth.livemode, customerId);
    if (!customer) throw new Error(`customer ${customerId} missing from the read model after a write`);
    return { created: result.events[0]?.type === 'CustomerCreated', customer };
  }
}
