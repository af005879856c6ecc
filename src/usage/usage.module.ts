import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CustomersModule } from '../customers/customers.module';
import { GetUsageController } from './get-usage/get-usage.controller';
import { GetUsageHandler } from './get-usage/get-usage.query';
import { QuotaLedger } from './quota-ledger';
import { UsageProjection } from './read-models/usage.projection';
import { UsageQueries } from './read-models/usage.queries';
import { RecordUsageController } from './record-usage/record-usage.controller';
import { RecordUsageHandler } from './record-usage/record-usage.handler';
import { RentalUnits } from './rental-units';

export const USAGE_PROJECTIONS = [UsageProjection];

/**
 * Usage quotas (SPEC §6). Global because the customer handlers (copying changed terms to
 * the ledger) and the rental create handler (a rental's unit) use its ledger, while this
 * module imports CustomersModule for the customer codec: importing back would be a cycle.
 */
@Global()
@Module({
  imports: [CqrsModule, CustomersModule],
  controllers: [RecordUsageController, GetUsageController],
  providers: [QuotaLedger, RentalUnits, UsageQueries, RecordUsageHandler, GetUsageHandler],
  exports: [QuotaLedger, RentalUnits],
})
export class UsageModule {}
