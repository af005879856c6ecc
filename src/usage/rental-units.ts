import { Injectable, Logger } from '@nestjs/common';
import { InvalidRequestError } from '../shared/errors/api-error';
import { EventMetadata } from '../shared/event-store/event-store.port';
import { QuotaLedger } from './quota-ledger';

export interface RentalUnitScope {
  accountId: string;
  livemode: boolean;
  customerId: string;
  rentalId: string;
  metadata: EventMetadata;
}

/** `counted`: the customer has a plan and the rental's unit is on its ledger. */
export type RentalUnitOutcome = 'counted' | 'not_limited';

/**
 * Each rental created for a customer with a plan uses 1 unit (SPEC §6). The unit lives on
 * the customer's usage ledger, the rental on its own stream: two appends that no store makes
 * atomic together (EventStoreDB appends to one stream at a time). The order is chosen so that
 * every crash or failure leaves a state the next attempt repairs:
 *
 *   1. take:   record the unit on the ledger, keyed by the rental id (402 here: no rental);
 *   2. create: append the rental;
 *   3. settle: make sure the unit is still counted now that the rental exists.
 *
 * Taking first is what makes "a 402 creates no rental" true without undoing anything. When
 * step 2 fails (vehicle unavailable, a bad field, a store error) the unit is given back
 * (`UsageReleased`) and the rental stream is looked at again: if the rental exists after all
 * (a concurrent request with the same booking_id created it), the unit is settled again.
 * Giving back first and looking second, like settling after creating, means that of two
 * racing attempts at one rental, whichever looks last sees the rental and re-counts its unit:
 * a rental never ends up uncounted, and it is counted once, because the ledger keys the unit
 * by rental id.
 *
 * A crash between 1 and 2 leaves a unit taken for a rental that does not exist (the customer
 * is under-served by one unit, never over quota). The retry repairs it: with the same
 * Idempotency-Key or booking_id it derives the same rental id, step 1 finds the unit already
 * taken and records nothing, and step 2 creates the rental. A crash between 2 and 3 leaves
 * nothing to repair (the unit was counted in step 1) unless, in that very instant, a racing
 * attempt at the same rental had given the unit back: two faults at once, costing one unit.
 */
@Injectable()
export class RentalUnits {
  private readonly logger = new Logger('RentalUnits');

  constructor(private readonly ledger: QuotaLedger) {}

  async take(scope: RentalUnitScope): Promise<RentalUnitOutcome> {
    let limited = false;
    await this.ledger.execute(scope.customerId, scope.metadata, ({ terms, limit, now }) => {
      if (!terms || terms.account_id !== scope.accountId || terms.livemode !== scope.livemode) {
        throw new InvalidRequestError(`No such customer: '${scope.customerId}'`, 'customer_id', 'resource_missing');
      }
      limited = terms.plan_id !== null;
      return { type: 'TakeRentalUnit', data: { rentalId: scope.rentalId, terms, limit, now } };
    });
    return limited ? 'counted' : 'not_limited';
  }

  /** After a failed create: give the unit back, then re-count it if the rental exists after all. */
  async giveBack(scope: RentalUnitScope, rentalExists: () => Promise<boolean>): Promise<void> {
    try {
      await this.ledger.execute(scope.customerId, scope.metadata, ({ now }) => ({
        type: 'GiveBackRentalUnit',
        data: { rentalId: scope.rentalId, now },
      }));
      if (await rentalExists()) await this.settle(scope);
    } catch (error) {
      // The request fails with its own error either way; the unit stays taken, which the
      // retry of the request puts to use (see above).
      this.logger.warn(`unit of rental ${scope.rentalId} not given back: ${String(error)}`);
    }
  }

  /** The rental exists: its unit must be counted, even past the quota. */
  async settle(scope: RentalUnitScope): Promise<void> {
    try {
      await this.ledger.execute(scope.customerId, scope.metadata, ({ terms, limit, now }) =>
        terms ? { type: 'SettleRentalUnit', data: { rentalId: scope.rentalId, terms, limit, now } } : null,
      );
    } catch (error) {
      this.logger.warn(`unit of rental ${scope.rentalId} not settled: ${String(error)}`);
    }
  }
}
