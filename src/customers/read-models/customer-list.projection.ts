import { Injectable } from '@nestjs/common';
import { Envelope } from '../../shared/event-store/event-codec';
import { Projection } from '../../shared/projections/projection';
import { CustomerResource, toCustomerResource } from '../customer.resource';
import { CUSTOMER_STREAM_PREFIX, CustomerStreamEvent, evolveCustomer, initialCustomerState } from '../customer.events';
import {
  CustomerRentalStats,
  isRentalEvent,
  rentalStatsCustomerId,
  withRentalStats,
} from '../../rentals/read-models/customer-rental-stats';
import { RENTAL_STREAM_PREFIX } from '../../rentals/rental.events';
import { firstPeriodFields } from '../../usage/quota-period';

/** A row of the customer list: the public object plus what isolation and paging need. */
export interface CustomerRow {
  account_id: string;
  /**
   * Global position of the creation event as fixed-width text (packed EventStoreDB
   * positions exceed 2^53): immutable, so paging never repeats or skips an item.
   */
  seq: string;
  customer: CustomerResource;
  /** Counts behind total_rentals, is_returning and overall_score (SPEC §3), from rental events. */
  rental_stats?: CustomerRentalStats;
}

/** The customer list and lookups; evolve reuses the aggregate's own fold. */
@Injectable()
export class CustomerListProjection implements Projection<CustomerRow> {
  readonly name = 'customers';
  readonly table = 'rm_customers';
  // Rental events too: they move the customer's derived stats (SPEC §3), in the same
  // transaction as the rental list, so the PATCH that completes a rental returns after both.
  readonly streamPrefixes = [CUSTOMER_STREAM_PREFIX, RENTAL_STREAM_PREFIX];
  // A row derives from one customer's stream and its rentals' (SPEC §8: erasure rewrites it).
  readonly personalData = true;
  readonly columns: Projection<CustomerRow>['columns'] = {
    account_id: { type: 'TEXT', value: (r) => r.account_id },
    livemode: { type: 'INTEGER', value: (r) => (r.customer.livemode ? 1 : 0) },
    seq: { type: 'TEXT', value: (r) => r.seq },
    email: { type: 'TEXT', value: (r) => r.customer.email },
    external_id: { type: 'TEXT', value: (r) => r.customer.external_id },
    status: { type: 'TEXT', value: (r) => r.customer.status },
    archived: { type: 'INTEGER', value: (r) => (r.customer.archived ? 1 : 0) },
    plan_id: { type: 'TEXT', value: (r) => r.customer.plan_id },
  };
  readonly indexes = [
    'CREATE INDEX IF NOT EXISTS {table}_seq ON {table} (account_id, livemode, seq)',
    'CREATE INDEX IF NOT EXISTS {table}_email ON {table} (account_id, livemode, email, seq)',
    'CREATE INDEX IF NOT EXISTS {table}_external_id ON {table} (account_id, livemode, external_id)',
  ];

  rowId(event: Envelope): string | null {
    // A rental event touches the row of the rental's customer (null: it moves no stats).
    if (isRentalEvent(event)) return rentalStatsCustomerId(event);
    return event.streamName.slice(CUSTOMER_STREAM_PREFIX.length);
  }

  evolve(row: CustomerRow | null, event: Envelope): CustomerRow | null {
    // The rules live with the rental events (rentals/read-models/customer-rental-stats.ts).
    // Stats are derived, not a customer change: version and updated_at stay as they are.
    if (isRentalEvent(event)) return row && withRentalStats(row, event);
    const domainEvent = event as Envelope<CustomerStreamEvent>;
    if (domainEvent.type === 'CustomerCreated') {
      const state = evolveCustomer(initialCustomerState(), domainEvent);
      if (state.status !== 'present') return row;
      return {
        account_id: state.customer.account_id,
        seq: event.position.toString().padStart(40, '0'),
        customer: toCustomerResource(state.customer, Number(event.revision) + 1),
      };
    }
    if (!row) return null;
    // SPEC §3: afterwards a 404 everywhere; the row goes, and rental events find none to move.
    if (domainEvent.type === 'CustomerDeleted') return null;
    if (domainEvent.type === 'CustomerUpdated') {
      const { changes, updated_at } = domainEvent.data;
      // A new period start moves period_end with it; queries roll both forward to now.
      const period = changes.period_start !== undefined ? firstPeriodFields(changes.period_start) : {};
      return {
        ...row,
        customer: { ...row.customer, ...changes, ...period, updated_at, version: Number(event.revision) + 1 },
      };
    }
    return row;
  }
}
