import { Inject, Injectable } from '@nestjs/common';
import { ConflictError } from '../shared/errors/api-error';
import { EVENT_STORE, EventMetadata, EventStore, WrongExpectedRevisionError } from '../shared/event-store/event-store.port';
import { DateRange, sameRange } from './date-range';
import { VehicleCalendarCommand, vehicleCalendarDecider, VehicleUnavailableError } from './vehicle-calendar.decider';
import { VehicleCalendarEvent, vehicleCalendarStream, VehicleHold, VehicleKey } from './vehicle-calendar.events';

/** What the calendar needs to know about a rental to tell a live hold from a dead one. */
export interface RentalOccupancy {
  /** Last revision of the rental stream; -1 when it does not exist. */
  revision: number;
  occupied: DateRange | null;
}

/** The rental side of the protocol, implemented by RentalCommandExecutor. */
export interface RentalProbe {
  inspect(rentalId: string): Promise<RentalOccupancy>;
  /** Appends RentalHoldLapsed at the hold's revision, so the write that took it can never land. */
  fence(hold: VehicleHold, now: Date, metadata: EventMetadata): Promise<void>;
}

/** A write in flight finishes in milliseconds; a hold this old without its rental is abandoned. */
export const HOLD_LEASE_MS = 60_000;
const MAX_ATTEMPTS = 16;

/**
 * No double booking (SPEC §4) across two streams, on a store that appends atomically to one
 * stream only (EventStoreDB). The calendar stream decides availability under its expected
 * revision; the rental stream records the status. A write that makes a rental occupy new days
 * appends in this order:
 *
 *   1. calendar: hold the days, tagged with the rental revision r the write read;
 *   2. rental:   append its events at expected revision r;
 *   3. calendar: settle — drop the rental's holds that no append can use any more.
 *
 * Holds come first, releases last, so at every instant (and after a crash at any point) the
 * calendar holds at least the days every APPROVED or ACTIVE rental occupies: a crash can
 * only over-block, never double-book. What a crash leaves behind is repaired without anyone
 * checking-then-writing a read model:
 * - a hold whose rental has moved past r is dead (an append at r can no longer succeed)
 *   unless the rental's current state occupies those days; any settle drops it: the next
 *   write of that rental, or a write of another rental that runs into it (`heal`);
 * - a hold whose rental is still at r may belong to a write in flight. Once older than
 *   HOLD_LEASE_MS it is presumed abandoned and the rental is fenced: RentalHoldLapsed is
 *   appended at r, so a zombie write's append at r fails (it retries and re-holds), then the
 *   hold is dead. Retrying the original request sooner simply completes it: the hold is
 *   re-taken at the same revision (a no-op) and the rental append goes through.
 * Why dropping a dead hold is safe even with writes in flight: a write that reads the rental
 * at revision y ≥ r and needs days either holds them itself, tagged y (never dropped by a
 * settle at revision ≤ y), or finds them already occupied by the state at y (kept by the
 * settle). The lease only decides when a stuck write loses; the fence, not the clock, keeps
 * it from landing, so a wrong clock can cost a retry but never a double booking.
 */
@Injectable()
export class VehicleCalendar {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async hold(vehicle: VehicleKey, hold: VehicleHold, probe: RentalProbe, metadata: EventMetadata): Promise<void> {
    const healed = new Set<string>();
    for (;;) {
      try {
        const dates = { start_date: hold.start_date, end_date: hold.end_date };
        await this.execute(vehicle, metadata, (now) => ({
          type: 'HoldDates',
          data: { rentalId: hold.rental_id, dates, rentalRevision: hold.rental_revision, now },
        }));
        return;
      } catch (error) {
        if (!(error instanceof VehicleUnavailableError)) throw error;
        // Each blocking rental is looked at once: if it frees nothing, the vehicle is taken.
        const suspects = error.holders.filter((h) => !healed.has(h.rental_id));
        let freed = false;
        for (const suspect of suspects) {
          healed.add(suspect.rental_id);
          freed = (await this.heal(vehicle, suspect, probe, metadata)) || freed;
        }
        if (!freed) throw error;
      }
    }
  }

  /** Drops the rental's holds that it no longer needs; returns how many were released. */
  async settle(vehicle: VehicleKey, rentalId: string, rental: RentalOccupancy, metadata: EventMetadata): Promise<number> {
    const released = await this.execute(vehicle, metadata, (now) => ({
      type: 'SettleRental',
      data: { rentalId, rentalRevision: rental.revision, occupied: rental.occupied, now },
    }));
    return released.length;
  }

  private async heal(
    vehicle: VehicleKey,
    hold: VehicleHold & { held_at: string },
    probe: RentalProbe,
    metadata: EventMetadata,
  ): Promise<boolean> {
    let rental = await probe.inspect(hold.rental_id);
    if (sameRange(rental.occupied, hold)) return false;
    if (hold.rental_revision >= rental.revision) {
      const now = new Date();
      if (now.getTime() - Date.parse(hold.held_at) < HOLD_LEASE_MS) return false;
      await probe.fence(hold, now, metadata);
      rental = await probe.inspect(hold.rental_id);
    }
    return (await this.settle(vehicle, hold.rental_id, rental, metadata)) > 0;
  }

  /** Load → fold → decide → append with the calendar's expected revision, retried on races. */
  private async execute(
    vehicle: VehicleKey,
    metadata: EventMetadata,
    command: (now: Date) => VehicleCalendarCommand,
  ): Promise<VehicleCalendarEvent[]> {
    const stream = vehicleCalendarStream(vehicle);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const recorded = await this.store.readStream(stream);
      const state = recorded.reduce(
        (s, e) => vehicleCalendarDecider.evolve(s, { type: e.type, data: e.data } as unknown as VehicleCalendarEvent),
        vehicleCalendarDecider.initialState(),
      );
      const events = vehicleCalendarDecider.decide(command(new Date()), state);
      if (events.length === 0) return events;
      const revision = recorded.length ? recorded[recorded.length - 1].revision : -1n;
      try {
        await this.store.appendToStream(
          stream,
          events.map((e) => ({ type: e.type, schemaVersion: 1, data: { ...e.data, ...stored(vehicle) }, metadata })),
          { expectedRevision: revision === -1n ? 'no_stream' : revision },
        );
        return events;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * (attempt + 1)));
      }
    }
    throw new ConflictError('concurrent_modification', 'The vehicle calendar is busy; retry the request.');
  }
}

/** The vehicle is stored with each event too, so the log reads on its own (the name is a hash). */
const stored = (v: VehicleKey) => ({ account_id: v.accountId, livemode: v.livemode, vehicle_id: v.vehicleId });
