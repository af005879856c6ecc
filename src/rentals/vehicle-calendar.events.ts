import { createHash } from 'node:crypto';
import { DateRange } from './date-range';

/**
 * The VehicleCalendar aggregate: one stream per (account, mode, vehicle) holding the date
 * ranges that rentals have taken. It is the single place where "is this vehicle free on
 * these days" is decided, under the stream's expected revision (see vehicle-calendar.ts
 * for why, and for the protocol with the rental stream).
 */
export const VEHICLE_CALENDAR_STREAM_PREFIX = 'vehicle_calendar-';

/** Hashed: vehicle ids are the client's, of any shape; stream names stay short and safe. */
export function vehicleCalendarStream(vehicle: VehicleKey): string {
  const digest = createHash('sha256')
    .update(`${vehicle.accountId}\n${vehicle.livemode ? 'live' : 'test'}\n${vehicle.vehicleId}`)
    .digest('hex');
  return `${VEHICLE_CALENDAR_STREAM_PREFIX}${digest}`;
}

export interface VehicleKey {
  accountId: string;
  livemode: boolean;
  vehicleId: string;
}

/**
 * One range held for one rental. `rental_revision` is the revision of the rental stream the
 * holding write read and will append at (-1: the rental does not exist yet): a hold is only
 * of use to an append at exactly that revision, or to a rental state that occupies it.
 */
export interface VehicleHold extends DateRange {
  rental_id: string;
  rental_revision: number;
}

export interface VehicleDatesHeld {
  type: 'VehicleDatesHeld';
  data: VehicleHold & { held_at: string };
}

export interface VehicleDatesReleased {
  type: 'VehicleDatesReleased';
  data: VehicleHold & { released_at: string };
}

export type VehicleCalendarEvent = VehicleDatesHeld | VehicleDatesReleased;

export interface VehicleCalendarState {
  holds: ReadonlyArray<VehicleHold & { held_at: string }>;
}

export const initialVehicleCalendarState = (): VehicleCalendarState => ({ holds: [] });

export const sameHold = (a: VehicleHold, b: VehicleHold) =>
  a.rental_id === b.rental_id &&
  a.rental_revision === b.rental_revision &&
  a.start_date === b.start_date &&
  a.end_date === b.end_date;

export function evolveVehicleCalendar(state: VehicleCalendarState, event: VehicleCalendarEvent): VehicleCalendarState {
  switch (event.type) {
    case 'VehicleDatesHeld':
      return { holds: [...state.holds, event.data] };
    case 'VehicleDatesReleased':
      return { holds: state.holds.filter((h) => !sameHold(h, event.data)) };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
