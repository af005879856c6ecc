import { Injectable } from '@nestjs/common';
import { Envelope } from '../../shared/event-store/event-codec';
import { Projection } from '../../shared/projections/projection';
import { evolveRental, initialRentalState, Rental, RENTAL_STREAM_PREFIX, RentalEvent, RentalState } from '../rental.events';

/** A row of the rental list: the aggregate's state plus what paging and ETags need. */
export interface RentalRow {
  /**
   * Global position of the creation event as fixed-width text (packed EventStoreDB
   * positions exceed 2^53): immutable, so paging never repeats or skips an item.
   */
  seq: string;
  /** Stream revision + 1 of the last event applied: the resource's `version`. */
  version: number;
  rental: Rental;
}

/** The rental list, lookups and filters; evolve reuses the aggregate's own fold. */
@Injectable()
export class RentalListProjection implements Projection<RentalRow> {
  readonly name = 'rentals';
  readonly table = 'rm_rentals';
  readonly streamPrefixes = [RENTAL_STREAM_PREFIX];
  // A row derives from its rental's stream alone (SPEC §8: erasure rewrites it).
  readonly personalData = true;
  readonly columns: Projection<RentalRow>['columns'] = {
    account_id: { type: 'TEXT', value: (r) => r.rental.account_id },
    livemode: { type: 'INTEGER', value: (r) => (r.rental.livemode ? 1 : 0) },
    seq: { type: 'TEXT', value: (r) => r.seq },
    status: { type: 'TEXT', value: (r) => r.rental.status },
    customer_id: { type: 'TEXT', value: (r) => r.rental.customer_id },
    vehicle_id: { type: 'TEXT', value: (r) => r.rental.vehicle_id },
    booking_id: { type: 'TEXT', value: (r) => r.rental.booking_id },
  };
  readonly indexes = [
    'CREATE INDEX IF NOT EXISTS {table}_seq ON {table} (account_id, livemode, seq)',
    'CREATE INDEX IF NOT EXISTS {table}_customer ON {table} (account_id, livemode, customer_id, seq)',
    'CREATE INDEX IF NOT EXISTS {table}_vehicle ON {table} (account_id, livemode, vehicle_id, seq)',
    'CREATE INDEX IF NOT EXISTS {table}_booking ON {table} (account_id, livemode, booking_id)',
  ];

  rowId(event: Envelope): string | null {
    return event.streamName.slice(RENTAL_STREAM_PREFIX.length);
  }

  evolve(row: RentalRow | null, event: Envelope): RentalRow | null {
    const state = row ? ({ status: row.rental.status, rental: row.rental } as RentalState) : initialRentalState();
    const next = evolveRental(state, event as Envelope<RentalEvent>);
    // Only a RentalHoldLapsed fence can reach a rental that was never created: no row.
    if (next.status === 'absent') return null;
    return {
      seq: row?.seq ?? event.position.toString().padStart(40, '0'),
      version: Number(event.revision) + 1,
      rental: next.rental,
    };
  }
}
