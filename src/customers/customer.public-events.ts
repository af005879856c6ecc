import { PublicEventMapper } from '../events/public-event-mapper';
import { Envelope } from '../shared/event-store/event-codec';
import { CUSTOMER_STREAM_PREFIX, CustomerEvent, CustomerState, evolveCustomer, initialCustomerState } from './customer.events';
import { toCustomerResource } from './customer.resource';

/**
 * Customers as the event log, histories and `as_of` reads show them: the aggregate's own
 * fold, the public object GET returns, and SPEC §9's types. The fold sees customer events
 * only, so the rental-derived fields (total_rentals, is_returning, overall_score) keep their
 * defaults in these views. Registered by CustomersModule on init.
 */
export const customerPublicEvents: PublicEventMapper<CustomerState> = {
  streamPrefix: CUSTOMER_STREAM_PREFIX,
  initialState: initialCustomerState,
  evolve: (state, event) => evolveCustomer(state, event as Envelope<CustomerEvent>),
  view: (state, version) =>
    state.status === 'present'
      ? { account_id: state.customer.account_id, object: { ...toCustomerResource(state.customer, version) } }
      : null,
  publicType(event) {
    const customerEvent = event as Envelope<CustomerEvent>;
    switch (customerEvent.type) {
      case 'CustomerCreated':
        return 'customer.created';
      case 'CustomerUpdated':
        return 'customer.updated';
      default: {
        const unknown: never = customerEvent;
        return unknown;
      }
    }
  },
  // The customer's own created_at / updated_at, so `?as_of=<updated_at>` shows that change.
  occurredAt(event) {
    const customerEvent = event as Envelope<CustomerEvent>;
    return customerEvent.type === 'CustomerCreated' ? customerEvent.data.created_at : customerEvent.data.updated_at;
  },
};
