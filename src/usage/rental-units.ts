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
 * Each rental created for a customer with a plan uses 1 unit, and under any concurrency a
 * customer never goes over its quota (SPEC §6). The unit lives on the customer's usage
 * ledger, the rental on its own stream: two appends that no store makes atomic together
 * (EventStoreDB appends to one stream at a time). The order:
 *
 *   1. take:   record the unit on the ledger, keyed by the rental id (402 here: no rental);
 *   2. create: append the rental;
 *   3. settle: make sure the unit is still counted now that the rental exists.
 *
 * When step 2 fails (vehicle unavailable, a bad field, a store error), `giveBack`:
 *
 *   a. looks at the rental stream: if the rental exists (a concurrent request with the same
 *      booking_id created it), the unit is that rental's and stays where it is;
 *   b. otherwise gives the unit back (`UsageReleased`), freeing its room in the period;
 *   c. looks again, and if the rental now exists, settles (re-counts) the unit.
 *
 * What holds, and why:
 *
 * - Never over quota. Every `UsageRecorded` is decided on the ledger's current revision and
 *   appended with it as the expected revision (quota-ledger.ts), and every one of them obeys
 *   the quota: a take and a POST /usage refuse with 402, and a settle (step 3 or c) records
 *   only while the period has room for the unit, and otherwise records nothing. Nothing else
 *   adds units; a release only removes them. There is no "count it even past the quota".
 * - A 402 creates no rental: step 1 refuses before step 2 runs; nothing is undone.
 * - A rental that fails gives its unit back (b), unless the rental exists after all (a), in
 *   which case the unit was never this attempt's to give: the rental keeps it.
 * - A unit is counted at most once per rental: the ledger keys it by rental id, so a retry or
 *   a concurrent attempt finds it taken and takes nothing, and re-counts are no-ops while it
 *   is counted.
 *
 * The price: a rental can end up uncounted. Two attempts at one rental (same booking_id)
 * share its unit: B finds it taken by A and creates the rental. Nothing on the rental stream
 * stops B's create, and nothing on the ledger knows it is under way, so there is always a
 * window in which it can land: after A's look (a) saw no rental, before A's release (b)
 * lands. If, before A's second look (c) or B's settle re-counts it, another usage takes the
 * freed room (a POST /usage, another rental) and fills the quota, the rental exists, its unit
 * is released and the quota is full: counting it would go over (the reviewer's F3: used 2/1),
 * so it is not counted. The customer gets one unit free; SPEC §6's hard rule holds. Step (a)
 * keeps this to that window: when B's rental already exists at the time A fails, which is the
 * usual order, A keeps the unit and nothing is released. Closing the window entirely would
 * take a fence on the rental stream itself (A appends "abandoned" at `no_stream` before
 * releasing, and a create must then take a fresh unit), an event of the rentals domain.
 *
 * Crashes and retries; every state left is either correct or the under-count above:
 *
 * - Between 1 and 2: a unit taken for a rental that does not exist (the customer is
 *   under-served by one unit, never over quota). The retry with the same Idempotency-Key or
 *   booking_id derives the same rental id, finds the unit taken and records nothing, then
 *   either creates the rental or fails and gives the unit back (a, b).
 * - Between 2 and 3: nothing to repair, the unit was counted in step 1 (unless a concurrent
 *   attempt released it in that instant: the under-count above).
 * - Between b and c: the unit is released; if the rental does not exist, that is the right
 *   end state; if a concurrent attempt created it, that attempt's own settle re-counts it
 *   within the quota. A retry of the request finds the rental and returns it without a
 *   charge, as any retry of a created rental does: re-counting then could land the unit in a
 *   later period than the rental's, so no retry is asked to.
 * - A failure of any ledger call in `giveBack` or `settle` is logged and leaves the unit as
 *   it was: taken (repaired as between 1 and 2) or released (as between b and c).
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

  /**
   * After a failed create: give the unit back unless the rental exists (then it is that
   * rental's unit), and re-count it within the quota if the rental turns out to exist after
   * the release. `rentalExists` must read the rental's stream, not a read model.
   */
  async giveBack(scope: RentalUnitScope, rentalExists: () => Promise<boolean>): Promise<void> {
    try {
      if (!(await rentalExists())) {
        await this.ledger.execute(scope.customerId, scope.metadata, ({ now }) => ({
          type: 'GiveBackRentalUnit',
          data: { rentalId: scope.rentalId, now },
        }));
        if (!(await rentalExists())) return;
      }
      await this.settle(scope);
    } catch (error) {
      // The request fails with its own error either way; the unit stays taken, which the
      // retry of the request puts to use (see above).
      this.logger.warn(`unit of rental ${scope.rentalId} not given back: ${String(error)}`);
    }
  }

  /**
   * The rental exists: its unit is counted again if a concurrent failed attempt gave it back,
   * as long as the quota has room; past the quota it stays uncounted (see above).
   */
  async settle(scope: RentalUnitScope): Promise<void> {
    try {
      const { state } = await this.ledger.execute(scope.customerId, scope.metadata, ({ terms, limit, now }) =>
        terms ? { type: 'SettleRentalUnit', data: { rentalId: scope.rentalId, terms, limit, now } } : null,
      );
      if (state.rental_units[scope.rentalId] === null && state.terms?.plan_id) {
        this.logger.warn(`unit of rental ${scope.rentalId} not counted: it was given back concurrently and the quota is full`);
      }
    } catch (error) {
      this.logger.warn(`unit of rental ${scope.rentalId} not settled: ${String(error)}`);
    }
  }
}
