import { createHash } from 'node:crypto';
import { EventStore, WrongExpectedRevisionError } from '../shared/event-store/event-store.port';

export const BOOKING_ID_STREAM_PREFIX = 'booking_id-';

/**
 * booking_id is unique per account+mode (SPEC §4). EventStoreDB appends atomically to one
 * stream only, so uniqueness cannot ride on the rental stream: each (account, mode,
 * booking_id) has its own reservation stream, and the first `no_stream` append to it wins.
 * The store's own concurrency control decides; nothing is checked-then-written.
 *
 * Reserving and creating are two appends. If the process dies between them, the reservation
 * points at a rental stream that does not exist yet, and the next request with the same
 * booking_id creates that rental under the reserved id: the work completes, never forks.
 */
export function bookingIdStream(accountId: string, livemode: boolean, bookingId: string): string {
  const digest = createHash('sha256').update(`${accountId}\n${livemode ? 'live' : 'test'}\n${bookingId}`).digest('hex');
  return `${BOOKING_ID_STREAM_PREFIX}${digest}`;
}

/** The rental id that owns the booking_id: the existing reservation's, or `candidate`. */
export async function reserveBookingId(
  store: EventStore,
  scope: { accountId: string; livemode: boolean; bookingId: string; requestId: string },
  candidate: string,
): Promise<string> {
  const stream = bookingIdStream(scope.accountId, scope.livemode, scope.bookingId);
  for (;;) {
    const [reservation] = await store.readStream(stream, { maxCount: 1 });
    if (reservation) return (reservation.data as { rental_id: string }).rental_id;
    try {
      await store.appendToStream(
        stream,
        [
          {
            type: 'BookingIdReserved',
            schemaVersion: 1,
            data: { rental_id: candidate, account_id: scope.accountId, livemode: scope.livemode },
            metadata: { request_id: scope.requestId },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      return candidate;
    } catch (error) {
      // Another request reserved it first: loop once more and adopt its rental id.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
}
