import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AuthContext, eventMetadata } from '../../shared/auth/auth-context';
import { DataSubject } from '../../shared/erasure/personal-data-holders';
import { SubjectErasure } from '../../shared/erasure/subject-erasure';
import { NotFoundError } from '../../shared/errors/api-error';
import { StreamCommandExecutor } from '../../shared/event-store/stream-command.executor';
import { CustomerCodec } from '../customer.codec';
import { CustomerCommand, customerDecider, CustomerNotFoundError } from '../customer.decider';
import { customerStream, CustomerState } from '../customer.events';
import { DeletedCustomerResource, isCustomerId, toDeletedCustomer } from '../customer.resource';
import { DeleteCustomerCommand } from './delete-customer.command';

/**
 * SPEC §3/§8 DELETE: appends CustomerDeleted through the decider (If-Match honoured), then
 * erases: the key is destroyed and every copy of the personal data rewritten or deleted
 * (shared/erasure/subject-erasure.ts says in which order and why). Answers only after both.
 */
@CommandHandler(DeleteCustomerCommand)
export class DeleteCustomerHandler implements ICommandHandler<DeleteCustomerCommand, DeletedCustomerResource> {
  constructor(
    private readonly executor: StreamCommandExecutor,
    private readonly codec: CustomerCodec,
    private readonly erasure: SubjectErasure,
  ) {}

  async execute({ auth, customerId, expectedVersion }: DeleteCustomerCommand): Promise<DeletedCustomerResource> {
    if (!isCustomerId(customerId)) throw new NotFoundError('customer', customerId);
    const subject: DataSubject = { subjectId: customerId, accountId: auth.accountId, livemode: auth.livemode };
    try {
      await this.executor.execute({
        streamName: customerStream(customerId),
        decider: customerDecider,
        codec: this.codec,
        metadata: eventMetadata(auth),
        expectedVersion,
        command: (state: CustomerState): CustomerCommand => {
          // SPEC §2: another account's or mode's customer is a 404, exactly as if absent.
          if (!ownedBy(state, auth)) throw new NotFoundError('customer', customerId);
          // Deleted before: a 404 whatever If-Match says (a deleted resource has no version to match).
          if (state.status === 'deleted') throw new CustomerNotFoundError(state);
          return { type: 'DeleteCustomer', data: { now: new Date() } };
        },
      });
    } catch (error) {
      // The customer is deleted but its erasure never committed (the process died between
      // the append and the erasure): this retry completes it and answers as the first would have.
      if (error instanceof CustomerNotFoundError && (await this.erasure.erase(subject))) return toDeletedCustomer(customerId);
      throw error;
    }
    await this.erasure.erase(subject);
    return toDeletedCustomer(customerId);
  }
}

function ownedBy(state: CustomerState, auth: AuthContext): boolean {
  switch (state.status) {
    case 'absent':
      return false;
    case 'present':
      return state.customer.account_id === auth.accountId && state.customer.livemode === auth.livemode;
    case 'deleted':
      return state.account_id === auth.accountId && state.livemode === auth.livemode;
    default: {
      const unknown: never = state;
      return unknown;
    }
  }
}
