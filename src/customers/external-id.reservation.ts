import { createHash } from 'node:crypto';
import { EventStore, WrongExpectedRevisionError } from '../shared/event-store/event-store.port';

export const EXTERNAL_ID_STREAM_PREFIX = 'customer_external_id-';

/**
 * external_id is unique per account+mode (SPEC §3). EventStoreDB appends atomically to one
 * stream only, so uniqueness cannot ride on the customer stream: each (account, mode,
 * external_id) has its own reservation stream, and the first `no_stream` append to it wins.
 * The store's own concurrency control decides; nothing is checked-then-written.
 *
 * Reserving and creating are two appends. If the process dies between them, the reservation
 * points at a customer stream that does not exist yet, and the next request with the same
 * external_id creates that customer under the reserved id: the work completes, never forks.
 */
export function externalIdStream(accountId: string, livemode: boolean, externalId: string): string {
  const digest = createHash('sha256').update(`${accountId}\n${livemode ? 'live' : 'test'}\n${externalId}`).digest('hex');
  return `${EXTERNAL_ID_STREAM_PREFIX}${digest}`;
}

/** The customer id that owns the external_id: the existing reservation's, or `candidate`. */
export async function reserveExternalId(
  store: EventStore,
  scope: { accountId: string; livemode: boolean; externalId: string; requestId: string },
  candidate: string,
): Promise<string> {
  const stream = externalIdStream(scope.accountId, scope.livemode, scope.externalId);
  for (;;) {
    const [reservation] = await store.readStream(stream, { maxCount: 1 });
    if (reservation) return (reservation.data as { customer_id: string }).customer_id;
    try {
      await store.appendToStream(
        stream,
        [
          {
            type: 'ExternalIdReserved',
            schemaVersion: 1,
            data: { customer_id: candidate, account_id: scope.accountId, livemode: scope.livemode },
            metadata: { request_id: scope.requestId },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      return candidate;
    } catch (error) {
      // Another request reserved it first: loop once more and adopt its customer id.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
}
