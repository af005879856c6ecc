import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErasureFence } from '../shared/erasure/erasure-fence';
import { ConflictError, PreconditionFailedError } from '../shared/errors/api-error';
import { EVENT_STORE, EventMetadata, EventStore, WrongExpectedRevisionError } from '../shared/event-store/event-store.port';
import { Metrics } from '../shared/metrics/metrics';
import { ProjectionRunner } from '../shared/projections/projection-runner';
import { sameRange } from './date-range';
import { RentalCodec } from './rental.codec';
import { RentalCommand, rentalDecider } from './rental.decider';
import { occupiedDates, RentalEvent, RentalState, rentalStream } from './rental.events';
import { RentalOccupancy, RentalProbe, VehicleCalendar } from './vehicle-calendar';
import { VehicleHold, VehicleKey } from './vehicle-calendar.events';

export interface RentalWrite {
  rentalId: string;
  metadata: EventMetadata;
  /** If-Match: the version the client last saw; a mismatch is a 412 and changes nothing. */
  expectedVersion?: number;
  /** Built from the state just loaded, so a retry decides on fresh state; null: nothing to do. */
  command: (state: RentalState) => RentalCommand | null;
}

export interface RentalWriteResult {
  state: RentalState;
  /** Number of events in the stream after the command: the resource's `version`. */
  version: number;
  events: RentalEvent[];
}

const MAX_ATTEMPTS = 8;

/**
 * StreamCommandExecutor's load → fold → decide → append, with the vehicle calendar woven in:
 * a write that makes the rental occupy new days holds them before the rental append and
 * settles the calendar after it (the protocol and its crash reasoning: vehicle-calendar.ts).
 * Returns only after every projection has passed the append (read-your-writes, SPEC §2).
 */
@Injectable()
export class RentalCommandExecutor implements RentalProbe {
  private readonly logger = new Logger('RentalCommandExecutor');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly codec: RentalCodec,
    private readonly calendar: VehicleCalendar,
    private readonly projections: ProjectionRunner,
    private readonly metrics: Metrics,
    private readonly erasures: ErasureFence,
  ) {}

  async execute(write: RentalWrite): Promise<RentalWriteResult> {
    let heldOn: VehicleKey | null = null;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { state, revision, position } = await this.load(write.rentalId);
      const version = revision + 1;
      // Built first: it answers 404 before If-Match could reveal that the rental exists.
      const command = write.command(state);
      if (write.expectedVersion !== undefined && write.expectedVersion !== version) {
        throw new PreconditionFailedError(String(write.expectedVersion), version);
      }
      const events = command ? rentalDecider.decide(command, state) : [];
      if (events.length === 0) {
        this.metrics.commands.inc({ category: 'rental', outcome: 'noop' });
        // Also the answer with a rental another request just created: readable once we return.
        if (position !== null) await this.projections.waitFor(position);
        return { state, version, events };
      }
      const next = events.reduce(rentalDecider.evolve, state);
      if (next.status === 'absent') throw new Error('a rental command left no rental');
      const vehicle = { accountId: next.rental.account_id, livemode: next.rental.livemode, vehicleId: next.rental.vehicle_id };
      const occupied = occupiedDates(next);
      // Encoded before any hold: a refusal to seal (an erased customer) then leaves no hold behind.
      const encoded = await this.codec.encode(rentalStream(write.rentalId), events);
      if (occupied && !sameRange(occupied, occupiedDates(state))) {
        await this.calendar.hold(vehicle, { rental_id: write.rentalId, rental_revision: revision, ...occupied }, this, write.metadata);
        heldOn = vehicle;
      }
      try {
        const appended = await this.store.appendToStream(
          rentalStream(write.rentalId),
          encoded.map((e) => ({ ...e, metadata: write.metadata })),
          { expectedRevision: revision === -1 ? 'no_stream' : BigInt(revision) },
        );
        this.metrics.commands.inc({ category: 'rental', outcome: 'appended' });
        this.metrics.appendedEvents.inc(events.length);
        const newRevision = Number(appended.nextRevision);
        if (heldOn || occupied || occupiedDates(state)) {
          await this.settle(vehicle, write.rentalId, { revision: newRevision, occupied }, write.metadata);
        }
        await this.projections.waitFor(appended.position);
        return { state: next, version: newRevision + 1, events };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        this.metrics.commands.inc({ category: 'rental', outcome: 'conflict_retry' });
        if (write.expectedVersion !== undefined) {
          if (heldOn) await this.settle(heldOn, write.rentalId, await this.inspect(write.rentalId), write.metadata);
          throw new PreconditionFailedError(String(write.expectedVersion), version + 1);
        }
        // Another write got in first; the hold taken at the old revision is now dead and the
        // settle after the successful attempt drops it.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * (attempt + 1)));
      }
    }
    throw new ConflictError('concurrent_modification', 'The rental was modified concurrently too many times; retry the request.');
  }

  async inspect(rentalId: string): Promise<RentalOccupancy> {
    const { state, revision } = await this.load(rentalId);
    return { revision, occupied: occupiedDates(state) };
  }

  async fence(hold: VehicleHold, now: Date, metadata: EventMetadata): Promise<void> {
    const { state } = await this.load(hold.rental_id);
    const lapsed: RentalEvent = {
      type: 'RentalHoldLapsed',
      data: {
        rental_id: hold.rental_id,
        customer_id: state.status === 'absent' ? null : state.rental.customer_id,
        start_date: hold.start_date,
        end_date: hold.end_date,
        lapsed_at: now.toISOString(),
      },
    };
    const [encoded] = await this.codec.encode(rentalStream(hold.rental_id), [lapsed]);
    const expectedRevision = hold.rental_revision === -1 ? 'no_stream' : BigInt(hold.rental_revision);
    try {
      await this.store.appendToStream(rentalStream(hold.rental_id), [{ ...encoded, metadata }], { expectedRevision });
    } catch (error) {
      // The rental moved on by itself: that write settles, and the hold is dead anyway.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }

  /** Best effort: the rental write already happened; a hold left behind only over-blocks. */
  private async settle(vehicle: VehicleKey, rentalId: string, rental: RentalOccupancy, metadata: EventMetadata) {
    try {
      await this.calendar.settle(vehicle, rentalId, rental, metadata);
    } catch (error) {
      this.logger.warn(`vehicle calendar not settled for ${rentalId}; healed on next contact: ${String(error)}`);
    }
  }

  private async load(rentalId: string) {
    const recorded = await this.store.readStream(rentalStream(rentalId));
    // The reply shows the rental's personal data: an erasure another process made counts at once.
    if (recorded.length) await this.erasures.catchUp();
    const history = await Promise.all(recorded.map((e) => this.codec.decode(e)));
    const state = history.reduce((s, e) => rentalDecider.evolve(s, e), rentalDecider.initialState());
    const last = recorded[recorded.length - 1];
    return { state, revision: last ? Number(last.revision) : -1, position: last ? last.position : null };
  }
}
