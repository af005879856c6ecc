import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CustomerQueries } from '../../customers/read-models/customer.queries';
import { AuthContext, eventMetadata } from '../../shared/auth/auth-context';
import { InvalidRequestError } from '../../shared/errors/api-error';
import { EVENT_STORE, EventStore } from '../../shared/event-store/event-store.port';
import { newResourceId } from '../../shared/ids';
import { RentalUnits, RentalUnitScope } from '../../usage/rental-units';
import { reserveBookingId } from '../booking-id.reservation';
import { RentalCommandExecutor, RentalWriteResult } from '../rental-command.executor';
import { toRentalChanges } from '../rental-fields.dto';
import { toRentalResource } from '../rental.resource';
import { CreateRentalCommand, CreateRentalResult } from './create-rental.command';
import { CreateRentalRequestDto } from './create-rental.request.dto';

@CommandHandler(CreateRentalCommand)
export class CreateRentalHandler implements ICommandHandler<CreateRentalCommand, CreateRentalResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly executor: RentalCommandExecutor,
    private readonly customers: CustomerQueries,
    private readonly units: RentalUnits,
  ) {}

  async execute({ auth, body }: CreateRentalCommand): Promise<CreateRentalResult> {
    const { customer_id: customerId, booking_id: bookingId } = body;
    await this.requireActiveCustomer(auth, customerId);
    const rentalId = bookingId
      ? await reserveBookingId(
          this.store,
          { accountId: auth.accountId, livemode: auth.livemode, bookingId, requestId: auth.requestId },
          newResourceId('re', auth),
        )
      : newResourceId('re', auth);
    const scope: RentalUnitScope = { accountId: auth.accountId, livemode: auth.livemode, customerId, rentalId, metadata: eventMetadata(auth) };
    // SPEC §6: the rental's unit is taken before the rental is appended, so a 402 creates no
    // rental; the order and how each failure is repaired: usage/rental-units.ts. A rental that
    // already exists (a booking_id or Idempotency-Key seen before) is returned, never charged.
    const mayExist = Boolean(bookingId || auth.idempotencyKey);
    const unit = mayExist && (await this.exists(rentalId)) ? null : await this.units.take(scope);
    let result: RentalWriteResult;
    try {
      result = await this.create(scope, body);
    } catch (error) {
      if (unit === 'counted') await this.units.giveBack(scope, () => this.exists(rentalId));
      throw error;
    }
    if (unit === 'counted') await this.units.settle(scope);
    if (result.state.status === 'absent') throw new Error('rental missing after create');
    return {
      created: result.events[0]?.type === 'RentalCreated',
      rental: toRentalResource(result.state.rental, result.version),
    };
  }

  private create({ accountId, livemode, rentalId, metadata }: RentalUnitScope, body: CreateRentalRequestDto): Promise<RentalWriteResult> {
    const { customer_id: customerId, vehicle_id: vehicleId, booking_id: bookingId, ...fields } = body;
    return this.executor.execute({
      rentalId,
      metadata,
      // Decided on the state just read: when the booking_id's rental exists (created earlier,
      // or by a concurrent request that won the append), it is returned unchanged.
      command: (state) =>
        state.status !== 'absent'
          ? null
          : {
              type: 'CreateRental',
              data: {
                rentalId,
                accountId,
                livemode,
                customerId,
                vehicleId,
                bookingId: bookingId ?? null,
                status: fields.status ?? 'NEW',
                changes: toRentalChanges(fields),
                now: new Date(),
              },
            },
    });
  }

  /** Reads the rental's stream (a write of nothing): whether the rental exists. */
  private async exists(rentalId: string): Promise<boolean> {
    const { state } = await this.executor.execute({ rentalId, metadata: {}, command: () => null });
    return state.status !== 'absent';
  }

  /**
   * SPEC §4: the customer must exist in this account+mode and be ACTIVE. Every refusal is a
   * 400 on `customer_id`, as Stripe answers a request naming an unusable object: missing
   * (deleted, or another account's) is `resource_missing`, not a 404 — the URL is fine, a
   * parameter is not; archived or not ACTIVE get `customer_archived` / `customer_inactive`.
   * Not a 409: no concurrent change is at fault. Read through CustomerQueries, never a table.
   */
  private async requireActiveCustomer(auth: AuthContext, customerId: string): Promise<void> {
    const customer = await this.customers.findById(auth.accountId, auth.livemode, customerId);
    if (!customer) {
      throw new InvalidRequestError(`No such customer: '${customerId}'`, 'customer_id', 'resource_missing');
    }
    if (customer.archived) {
      throw new InvalidRequestError(`Customer ${customerId} is archived; rentals need an active customer.`, 'customer_id', 'customer_archived');
    }
    if (customer.status !== 'ACTIVE') {
      throw new InvalidRequestError(
        `Customer ${customerId} is ${customer.status}; rentals need an ACTIVE customer.`,
        'customer_id',
        'customer_inactive',
      );
    }
  }
}
