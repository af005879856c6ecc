import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CustomersModule } from '../customers/customers.module';
import { PublicEventMappers } from '../events/public-event-mapper';
import { PersonalDataHolders } from '../shared/erasure/personal-data-holders';
import { EventCodecs } from '../shared/event-store/event-codec';
import { CreateRentalController } from './create-rental/create-rental.controller';
import { CreateRentalHandler } from './create-rental/create-rental.handler';
import { GetRentalController } from './get-rental/get-rental.controller';
import { GetRentalHandler } from './get-rental/get-rental.query';
import { RentalHistoryController } from './history/rental-history.controller';
import { RentalHistoryHandler } from './history/rental-history.query';
import { ListCustomerRentalsController } from './list-customer-rentals/list-customer-rentals.controller';
import { ListCustomerRentalsHandler } from './list-customer-rentals/list-customer-rentals.query';
import { ListRentalsController } from './list-rentals/list-rentals.controller';
import { ListRentalsHandler } from './list-rentals/list-rentals.query';
import { RentalListProjection } from './read-models/rental-list.projection';
import { rentalPersonalData } from './read-models/rental-personal-data';
import { RentalQueries } from './read-models/rental.queries';
import { RentalCommandExecutor } from './rental-command.executor';
import { RentalCodec } from './rental.codec';
import { rentalPublicEvents } from './rental.public-events';
import { UpdateRentalController } from './update-rental/update-rental.controller';
import { UpdateRentalHandler } from './update-rental/update-rental.handler';
import { VehicleCalendar } from './vehicle-calendar';

export const RENTAL_PROJECTIONS = [RentalListProjection];

/** Customers come in through CustomerQueries (the module's export), never their tables. */
@Module({
  imports: [CqrsModule, CustomersModule],
  controllers: [
    CreateRentalController,
    ListRentalsController,
    GetRentalController,
    UpdateRentalController,
    ListCustomerRentalsController,
    RentalHistoryController,
  ],
  providers: [
    RentalCodec,
    RentalQueries,
    VehicleCalendar,
    RentalCommandExecutor,
    CreateRentalHandler,
    UpdateRentalHandler,
    GetRentalHandler,
    ListRentalsHandler,
    ListCustomerRentalsHandler,
    RentalHistoryHandler,
  ],
  exports: [RentalCodec, RentalQueries],
})
export class RentalsModule implements OnModuleInit {
  constructor(
    private readonly codecs: EventCodecs,
    private readonly codec: RentalCodec,
    private readonly publicEvents: PublicEventMappers,
    private readonly personalData: PersonalDataHolders,
  ) {}

  onModuleInit(): void {
    this.codecs.register(this.codec);
    this.publicEvents.register(rentalPublicEvents);
    this.personalData.register(rentalPersonalData);
  }
}
