import { DomainEvent } from './event-codec';

/** An aggregate's rules as three pure functions (no Nest, no store, no clock). */
export interface Decider<State, Command, Event extends DomainEvent> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}
