import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { isCustomerId } from '../../customers/customer.resource';
import { eventMetadata } from '../../shared/auth/auth-context';
import { NotFoundError } from '../../shared/errors/api-error';
import { newResourceId } from '../../shared/ids';
import { QuotaLedger } from '../quota-ledger';
import { UsageQueries } from '../read-models/usage.queries';
import { UsageResource } from '../usage.resource';
import { RecordUsageCommand } from './record-usage.command';

@CommandHandler(RecordUsageCommand)
export class RecordUsageHandler implements ICommandHandler<RecordUsageCommand, UsageResource> {
  constructor(
    private readonly ledger: QuotaLedger,
    private readonly usage: UsageQueries,
  ) {}

  async execute({ auth, customerId, quantity }: RecordUsageCommand): Promise<UsageResource> {
    if (!isCustomerId(customerId)) throw new NotFoundError('customer', customerId);
    // With an Idempotency-Key the record gets an id derived from it: a retry after a crash
    // that cut the first attempt off after its append finds it recorded, and records nothing.
    const recordId = auth.idempotencyKey ? newResourceId('ur', auth) : null;
    await this.ledger.execute(customerId, eventMetadata(auth), ({ terms, limit, now }) => {
      // SPEC §2: another account's or mode's customer is a 404, exactly as if absent.
      if (!terms || terms.account_id !== auth.accountId || terms.livemode !== auth.livemode) {
        throw new NotFoundError('customer', customerId);
      }
      return { type: 'RecordUsage', data: { quantity, recordId, terms, limit, now } };
    });
    return this.usage.summary(auth, customerId);
  }
}
