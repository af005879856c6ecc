import { Envelope } from '../../shared/event-store/event-codec';
import { RENTAL_STREAM_PREFIX, RentalEvent } from '../rental.events';

/**
 * SPEC §3 derived customer fields, from rental events. The customer read model (owned by
 * customers/) calls these for the rental events it subscribes to; the rules live here, next
 * to the events they read. Counts are kept rather than the score itself, because the score
 * is clamped to 0..100 and a clamped running value cannot be updated correctly.
 */
export interface CustomerRentalStats {
  /** Rentals that reached COMPLETED, with or without damage. */
  completed: number;
  completed_with_damage: number;
  /** APPROVED → CANCELLED: the customer backed out of a confirmed booking. */
  cancelled_after_approval: number;
}

export interface CustomerStatsFields {
  total_rentals: number;
  is_returning: boolean;
  overall_score: number;
}

const NO_STATS: CustomerRentalStats = { completed: 0, completed_with_damage: 0, cancelled_after_approval: 0 };

export const isRentalEvent = (event: Envelope) => event.streamName.startsWith(RENTAL_STREAM_PREFIX);

/** The customer whose stats the event moves; null for the events that move none. */
export function rentalStatsCustomerId(event: Envelope): string | null {
  const rentalEvent = event as Envelope<RentalEvent>;
  if (rentalEvent.type === 'RentalCreated' || rentalEvent.type === 'RentalStatusChanged') return rentalEvent.data.customer_id;
  return null;
}

export function withRentalStats<Row extends { rental_stats?: CustomerRentalStats; customer: CustomerStatsFields }>(
  row: Row,
  event: Envelope,
): Row {
  const stats = countRental(row.rental_stats ?? NO_STATS, event as Envelope<RentalEvent>);
  return { ...row, rental_stats: stats, customer: { ...row.customer, ...statsFields(stats) } };
}

export function countRental(stats: CustomerRentalStats, event: RentalEvent): CustomerRentalStats {
  switch (event.type) {
    // History sync can create a rental that is already COMPLETED: it counts as completed.
    case 'RentalCreated':
      return event.data.status === 'COMPLETED' ? completed(stats, event.data.damage_at_return) : stats;
    case 'RentalStatusChanged':
      if (event.data.to === 'COMPLETED') return completed(stats, event.data.damage_at_return);
      if (event.data.from === 'APPROVED' && event.data.to === 'CANCELLED') {
        return { ...stats, cancelled_after_approval: stats.cancelled_after_approval + 1 };
      }
      return stats;
    case 'RentalUpdated':
    case 'RentalHoldLapsed':
      return stats;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** 50, +5 per clean return, −15 per return with damage, −5 per cancelled approval; 0..100. */
export function statsFields(stats: CustomerRentalStats): CustomerStatsFields {
  const clean = stats.completed - stats.completed_with_damage;
  const score = 50 + 5 * clean - 15 * stats.completed_with_damage - 5 * stats.cancelled_after_approval;
  return {
    total_rentals: stats.completed,
    is_returning: stats.completed >= 1,
    overall_score: Math.min(100, Math.max(0, score)),
  };
}

function completed(stats: CustomerRentalStats, damaged: boolean): CustomerRentalStats {
  return {
    ...stats,
    completed: stats.completed + 1,
    completed_with_damage: stats.completed_with_damage + (damaged ? 1 : 0),
  };
}
