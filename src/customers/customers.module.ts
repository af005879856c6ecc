import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PublicEventMappers } from '../events/public-event-mapper';
import { EventCodecs } from '../shared/event-store/event-codec';
import { CreateCustomerController } from './create-customer/create-customer.controller';
import { CreateCustomerHandler } from './create-customer/create-customer.handler';
import { PersonalDataHolders } from '../shared/erasure/personal-data-holders';
import { CustomerCodec } from './customer.codec';
import { customerStream } from './customer.events';
import { customerPublicEvents } from './customer.public-events';
import { DeleteCustomerController } from './delete-customer/delete-customer.controller';
import { DeleteCustomerHandler } from './delete-customer/delete-customer.handler';
import { GetCustomerController } from './get-customer/get-customer.controller';
import { GetCustomerHandler } from './get-customer/get-customer.query';
import { CustomerHistoryController } from './history/customer-history.controller';
import { CustomerHistoryHandler } from './history/customer-history.query';
import { ListCustomersController } from './list-customers/list-customers.controller';
import { ListCustomersHandler } from './list-customers/list-customers.query';
import { CustomerListProjection } from './read-models/customer-list.projection';
import { CustomerQueries } from './read-models/customer.queries';
import { UpdateCustomerController } from './update-customer/update-customer.controller';
import { UpdateCustomerHandler } from './update-customer/update-customer.handler';

export const CUSTOMER_PROJECTIONS = [CustomerListProjection];

@Module({
  imports: [CqrsModule],
  controllers: [
    CreateCustomerController,
    ListCustomersController,
    GetCustomerController,
    UpdateCustomerController,
    DeleteCustomerController,
    CustomerHistoryController,
  ],
  providers: [
    CustomerCodec,
    CustomerQueries,
    CreateCustomerHandler,
    UpdateCustomerHandler,
    DeleteCustomerHandler,
    GetCustomerHandler,
    ListCustomersHandler,
    CustomerHistoryHandler,
  ],
  exports: [CustomerCodec, CustomerQueries],
})
export class CustomersModule implements OnModuleInit {
  constructor(
    private readonly codecs: EventCodecs,
    private readonly codec: CustomerCodec,
    private readonly publicEvents: PublicEventMappers,
    private readonly personalData: PersonalDataHolders,
  ) {}

  onModuleInit(): void {
    this.codecs.register(this.codec);
    this.publicEvents.register(customerPublicEvents);
    // SPEC §8: the customer is the data subject; its own stream holds its personal data.
    this.personalData.register({ name: 'customers', streamsOf: async (_tx, subject) => [customerStream(subject.subjectId)] });
  }
}
