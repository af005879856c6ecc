import {
  START,
  streamNameFilter,
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import type { ReadAllOptions } from '../event-store.port';
import { packPosition, unpackPosition } from './esdb-position';

/** Only a safety net for servers that never say "caught up"; see readFilteredAll. */
const CATCH_UP_TIMEOUT_MS = 30_000;
/** Checkpoints are not used; a large interval keeps them from crowding the wire. */
const CHECKPOINT_INTERVAL = 1_000;

/** System events ($stats, $settings, $metadata, tombstones…) are never domain events. */
export function isDomainEvent(event: { streamId: string; type: string }): boolean {
  return !event.streamId.startsWith('$') && !event.type.startsWith('$');
}

/**
 * One page of $all after `options.after`, filtered by the server.
 *
 * `readAll` of @eventstore/db-client 6.x sends no filter (server-side filtering on readAll
 * arrived with @kurrent/kurrentdb-client 1.0), and filtering a page client-side would make a
 * projection on a rare prefix rescan every skipped event on each poll. A filtered catch-up
 * subscription is the filtered read this client offers: the server skips non-matching events,
 * starts strictly after the given position, and sends "caught up" once it has delivered
 * everything that existed (servers 23.10+). The page ends at `maxCount` events or at caught
 * up, whichever comes first; ending early only returns a prefix, which the port allows.
 */
export async function readFilteredAll(
  client: EventStoreDBClient,
  options: ReadAllOptions,
): Promise<AllStreamRecordedEvent[]> {
  if (options.maxCount <= 0) return [];
  const after = options.after ?? 0n;
  const prefixes = options.streamPrefixes ?? [];
  const filter = prefixes.length
    ? streamNameFilter({ prefixes, checkpointInterval: CHECKPOINT_INTERVAL })
    : streamNameFilter({ regex: '^[^$]', checkpointInterval: CHECKPOINT_INTERVAL });
  const subscription = client.subscribeToAll({
    // No user event lives at position 0 (the log opens with system records), so 0n is START.
    fromPosition: after > 0n ? unpackPosition(after) : START,
    filter,
  });
  // The server filter does the heavy lifting; this re-check is what the port promises, so it
  // holds even if a filter is widened (a `$`-typed tombstone in a user stream, a `$` prefix).
  const wanted = (event: AllStreamRecordedEvent) =>
    isDomainEvent(event) &&
    packPosition(event.position) > after &&
    (prefixes.length === 0 || prefixes.some((prefix) => event.streamId.startsWith(prefix)));
  return takeUntilCaughtUp(subscription, options.maxCount, wanted);
}

function takeUntilCaughtUp(
  subscription: AllStreamSubscription,
  maxCount: number,
  wanted: (event: AllStreamRecordedEvent) => boolean,
): Promise<AllStreamRecordedEvent[]> {
  return new Promise((resolve, reject) => {
    const taken: AllStreamRecordedEvent[] = [];
    let caughtUp = false;
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // unsubscribe cancels the gRPC call; the cancellation is not reported as an error.
      void subscription.unsubscribe();
      if (error) reject(error);
      else resolve(taken);
    };
    const timer = setTimeout(() => finish(), CATCH_UP_TIMEOUT_MS);
    // "caughtUp" is emitted while the transform handles the server's message, after every
    // earlier event was pushed but possibly before it left the readable buffer, so the page
    // ends only once that buffer is drained: no event before "caught up" is dropped.
    const drainedAfterCatchUp = () => caughtUp && subscription.readableLength === 0;
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (done) return;
      if (resolved.event && wanted(resolved.event)) taken.push(resolved.event);
      if (taken.length >= maxCount || drainedAfterCatchUp()) finish();
    });
    subscription.on('caughtUp', () => {
      caughtUp = true;
      if (drainedAfterCatchUp()) finish();
    });
    subscription.on('error', (error) => finish(error));
  });
}
