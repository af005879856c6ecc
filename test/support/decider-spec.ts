import { Decider } from '../../src/shared/event-store/decider';
import { DomainEvent } from '../../src/shared/event-store/event-codec';

/**
 * given(events).when(command).then(events) | thenThrows(error) for pure deciders:
 * no Nest module, no store, no clock.
 */
export function deciderSpec<S, C, E extends DomainEvent>(decider: Decider<S, C, E>) {
  return {
    given(history: E[]) {
      const state = history.reduce(decider.evolve, decider.initialState());
      return {
        when(command: C) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: E[]) {
              expect(run()).toEqual(expected);
            },
            thenThrows(matcher: unknown) {
              expect(run).toThrow(matcher as never);
            },
          };
        },
      };
    },
  };
}
