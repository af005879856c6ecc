import { EventStore, ReadAllOptions } from '../../src/shared/event-store/event-store.port';

/** The live runner's view of the log can be held back, to make it fall behind a rebuild. */
export function heldBack(store: EventStore) {
  const held = { limit: null as bigint | null, view: null as unknown as EventStore };
  held.view = {
    kind: store.kind,
    appendToStream: (...args) => store.appendToStream(...args),
    readStream: (...args) => store.readStream(...args),
    readAll: async (options: ReadAllOptions) =>
      (await store.readAll(options)).filter((e) => held.limit === null || e.position <= held.limit),
    headPosition: () => store.headPosition(),
    onAppended: (listener) => store.onAppended(listener),
    close: () => store.close(),
  };
  return held;
}
