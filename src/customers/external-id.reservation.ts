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
 *
 * A deleted customer's external_id is free again (SPEC §3: the customer is a 404, so the
 * external_id "exists" no more): the request that meets it releases the reservation and
 * reserves anew. The stream's LAST event says who holds the external_id now.
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
    const last = (await store.readStream(stream)).at(-1);
    if (last?.type === 'ExternalIdReserved') return (last.data as { customer_id: string }).customer_id;
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
        { expectedRevision: last ? last.revision : 'no_stream' },
      );
      return candidate;
    } catch (error) {
      // Another request reserved it first: loop once more and adopt its customer id.
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
}

/** Thrown by a create that finds the external_id's customer deleted: release, then reserve anew. */
export class ExternalIdOfDeletedCustomer extends Error {}

/**
 * Frees the external_id held by `customerId`, a deleted customer. Appended only while that
 * customer's reservation is the last event, so two requests meeting the deleted customer
 * release it once, and a reservation made since is never undone.
 */
export async function releaseExternalId(
  store: EventStore,
  scope: { accountId: string; livemode: boolean; externalId: string; requestId: string },
  customerId: string,
): Promise<void> {
  const stream = externalIdStream(scope.accountId, scope.livemode, scope.externalId);
  const last = (await store.readStream(stream)).at(-1);
  if (last?.type !== 'ExternalIdReserved' || (last.data as { customer_id: string }).customer_id !== customerId) return;
  try {
    await store.appendToStream(
      stream,
      [{ type: 'ExternalIdReleased', schemaVersion: 1, data: { customer_id: customerId }, metadata: { request_id: scope.requestId } }],
      { expectedRevision: last.revision },
    );
  } catch (error) {
    // Another request released it (and maybe reserved it again) first: nothing left to do.
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
  }
}
