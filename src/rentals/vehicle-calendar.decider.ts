import { ConflictError } from '../shared/errors/api-error';
import { Decider } from '../shared/event-store/decider';
import { DateRange, overlaps, sameRange } from './date-range';
import {
  evolveVehicleCalendar,
  initialVehicleCalendarState,
  VehicleCalendarEvent,
  VehicleCalendarState,
  VehicleHold,
} from './vehicle-calendar.events';

export type VehicleCalendarCommand =
  /** Take `dates` for a rental write that will append at `rentalRevision`. */
  | { type: 'HoldDates'; data: { rentalId: string; dates: DateRange; rentalRevision: number; now: Date } }
  /**
   * Align the rental's holds with its stream as read at `rentalRevision`, where it occupies
   * `occupied` (or nothing). Drops every hold no append can use any more; keeps the rest.
   */
  | { type: 'SettleRental'; data: { rentalId: string; rentalRevision: number; occupied: DateRange | null; now: Date } };

/** SPEC §4: the vehicle is taken on some of these days. `holders` are the rentals holding them. */
export class VehicleUnavailableError extends ConflictError {
  constructor(readonly holders: ReadonlyArray<VehicleHold & { held_at: string }>) {
    super('vehicle_unavailable', 'The vehicle is already booked on some of these dates by another rental.');
  }
}

export function decideVehicleCalendar(command: VehicleCalendarCommand, state: VehicleCalendarState): VehicleCalendarEvent[] {
  switch (command.type) {
    case 'HoldDates': {
      const { rentalId, dates, rentalRevision, now } = command.data;
      const taken = state.holds.filter((h) => h.rental_id !== rentalId && overlaps(h, dates));
      if (taken.length > 0) throw new VehicleUnavailableError(taken);
      const hold: VehicleHold = { rental_id: rentalId, rental_revision: rentalRevision, ...dates };
      const already = state.holds.some((h) => h.rental_id === rentalId && h.rental_revision === rentalRevision && sameRange(h, dates));
      return already ? [] : [{ type: 'VehicleDatesHeld', data: { ...hold, held_at: now.toISOString() } }];
    }
    case 'SettleRental': {
      const { rentalId, rentalRevision, occupied, now } = command.data;
      // A hold taken at an older revision can serve no append any more (the rental has moved
      // past it); it stays only while the rental's state at this revision occupies those days.
      // Holds at this revision or later may belong to a write still in flight: kept.
      return state.holds
        .filter((h) => h.rental_id === rentalId && h.rental_revision < rentalRevision && !sameRange(h, occupied))
        .map(({ held_at: _, ...hold }) => ({
          type: 'VehicleDatesReleased' as const,
          data: { ...hold, released_at: now.toISOString() },
        }));
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const vehicleCalendarDecider: Decider<VehicleCalendarState, VehicleCalendarCommand, VehicleCalendarEvent> = {
  initialState: initialVehicleCalendarState,
  evolve: evolveVehicleCalendar,
  decide: decideVehicleCalendar,
};
