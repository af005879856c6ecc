import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, PreconditionFailedError } from '../errors/api-error';
import { Metrics } from '../metrics/metrics';
import { ProjectionRunner } from '../projections/projection-runner';
import { Decider } from './decider';
import { DomainEvent, EventCodec } from './event-codec';
import { EVENT_STORE, EventMetadata, EventStore, WrongExpectedRevisionError } from './event-store.port';

export interface StreamCommand<State, Command, Event extends DomainEvent> {
  streamName: string;
  decider: Decider<State, Command, Event>;
  codec: EventCodec<Event>;
  /** Builds the command from the state just loaded (so a retry decides on fresh state). */
  command: (state: State) => Command;
  metadata: EventMetadata;
  /** If-Match: the version the client last saw; a mismatch is a 412 and changes nothing. */
  expectedVersion?: number;
  /**
   * The stream was named by a fresh random id, so it is almost surely empty: skip the read
   * and append with 'no_stream'. If it did exist, the append fails and the command is
   * decided again on the stream as read, like any conflict.
   */
  streamIsNew?: boolean;
}

export interface StreamCommandResult<State, Event> {
  state: State;
  /** Number of events in the stream after the command: the resource's `version`. */
  version: number;
  events: Event[];
  /** Global position of the last appended event, null when the command was a no-op. */
  position: bigint | null;
}

const MAX_ATTEMPTS = 8;

/**
 * Load → fold → decide → append with the revision that was read. Optimistic concurrency is
 * the whole locking story: a concurrent writer makes the append fail, and the command is
 * decided again on the fresh state a bounded number of times before it becomes a 409.
 * Returns only after every projection has passed the append (read-your-writes, SPEC §2).
 */
@Injectable()
export class StreamCommandExecutor {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionRunner,
    private readonly metrics: Metrics,
  ) {}

  async execute<S, C, E extends DomainEvent>(cmd: StreamCommand<S, C, E>): Promise<StreamCommandResult<S, E>> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const recorded = cmd.streamIsNew && attempt === 0 ? [] : await this.store.readStream(cmd.streamName);
      const history = await Promise.all(recorded.map((e) => cmd.codec.decode(e)));
      const state = history.reduce((s, e) => cmd.decider.evolve(s, e as unknown as E), cmd.decider.initialState());
      const revision = recorded.length ? recorded[recorded.length - 1].revision : -1n;
      const version = Number(revision) + 1;
      // The command is built first: it answers 404 for a resource the caller may not see,
      // before If-Match could reveal that the resource exists.
      const command = cmd.command(state);
      if (cmd.expectedVersion !== undefined && cmd.expectedVersion !== version) {
        throw new PreconditionFailedError(String(cmd.expectedVersion), version);
      }
      const events = cmd.decider.decide(command, state);
      const category = cmd.streamName.slice(0, cmd.streamName.indexOf('-'));
      if (events.length === 0) {
        this.metrics.commands.inc({ category, outcome: 'noop' });
        // Read-your-writes holds for a no-op too: the state it answers from may come from a
        // concurrent writer's append that the read models have not applied yet.
        if (recorded.length) await this.projections.waitFor(recorded[recorded.length - 1].position);
        return { state, version, events, position: null };
      }
      const encoded = await cmd.codec.encode(cmd.streamName, events);
      try {
        const result = await this.store.appendToStream(
          cmd.streamName,
          encoded.map((e) => ({ ...e, metadata: cmd.metadata })),
          { expectedRevision: revision === -1n ? 'no_stream' : revision },
        );
        this.metrics.commands.inc({ category, outcome: 'appended' });
        this.metrics.appendedEvents.inc(events.length);
        await this.projections.waitFor(result.position);
        return {
          state: events.reduce((s, e) => cmd.decider.evolve(s, e), state),
          version: Number(result.nextRevision) + 1,
          events,
          position: result.position,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        this.metrics.commands.inc({ category, outcome: 'conflict_retry' });
        if (cmd.expectedVersion !== undefined) {
          throw new PreconditionFailedError(String(cmd.expectedVersion), version + 1);
        }
        await jitter(attempt);
      }
    }
    throw new ConflictError(
      'concurrent_modification',
      'The resource was modified concurrently too many times; retry the request.',
    );
  }
}

function jitter(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * (attempt + 1)));
}
