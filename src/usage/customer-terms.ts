import { CustomerEvent, CustomerStreamEvent } from '../customers/customer.events';
import { Envelope } from '../shared/event-store/event-codec';
import { QuotaTerms } from './usage.events';

/**
 * The quota terms of a customer, folded from its own stream: only the fields quotas depend
 * on, so the ledger's cache holds no personal data (SPEC §8) however long it lives.
 */
export function evolveQuotaTerms(terms: QuotaTerms | null, event: Envelope<CustomerStreamEvent>): QuotaTerms | null {
  const customer_revision = Number(event.revision);
  switch (event.type) {
    case 'CustomerCreated': {
      const d = event.data;
      return {
        customer_id: d.customer_id,
        account_id: d.account_id,
        livemode: d.livemode,
        customer_revision,
        plan_id: d.plan_id,
        status: d.status,
        period_start: d.period_start,
      };
    }
    case 'CustomerUpdated': {
      if (!terms) return terms;
      const { plan_id, status, period_start } = event.data.changes;
      return {
        ...terms,
        customer_revision,
        ...(plan_id !== undefined && { plan_id }),
        ...(status !== undefined && { status }),
        ...(period_start !== undefined && { period_start }),
      };
    }
    // An erased customer has no terms: every usage call is a 404, and no settle can write.
    case 'CustomerDeleted':
      return null;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Whether a customer write changed what quotas depend on, so its ledger must hear of it. */
export function touchesQuotaTerms(events: CustomerEvent[]): boolean {
  return events.some((event) =>
    event.type === 'CustomerCreated'
      ? event.data.plan_id !== null
      : ['plan_id', 'status', 'period_start'].some((field) => field in event.data.changes),
  );
}
