/**
 * One writer = one stream, appending one event per call with the exact expected revision it
 * got back from its previous append. Both our stores share the port's API and both Emmett
 * stores share Emmett's, so the SQLite and PostgreSQL benches use the same two writers.
 */
import { rentalBooked } from './rental-event.mjs';

/** Our EventStore port: 0-based revisions, 'no_stream' for a stream not yet written. */
export function portWriter(store, stream) {
  let expectedRevision = 'no_stream';
  let n = 0;
  return async () => {
    const result = await store.appendToStream(stream, [rentalBooked(stream, n++)], { expectedRevision });
    expectedRevision = result.nextRevision;
  };
}

/** Emmett counts events in a stream, so an empty stream is at version 0n. */
export function emmettWriter(store, stream) {
  let expectedStreamVersion = 0n;
  let n = 0;
  return async () => {
    const { type, data, metadata } = rentalBooked(stream, n++);
    const result = await store.appendToStream(stream, [{ type, data, metadata }], { expectedStreamVersion });
    expectedStreamVersion = result.nextExpectedStreamVersion;
  };
}
