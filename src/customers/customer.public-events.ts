import { PublicEventMapper } from '../events/public-event-mapper';
import { Envelope } from '../shared/event-store/event-codec';
import { CUSTOMER_STREAM_PREFIX, CustomerState, CustomerStreamEvent, evolveCustomer, initialCustomerState } from './customer.events';
import { toCustomerResource, toDeletedCustomer } from './customer.resource';

/**
 * Customers as the event log, histories and `as_of` reads show them: the aggregate's own
 * fold, the public object GET returns, and SPEC §9's types. The fold sees customer events
 * only, so the rental-derived fields (total_rentals, is_returning, overall_score) keep their
 * defaults in these views. A deleted customer is `{id, object, deleted: true}` and nothing
 * more. Registered by CustomersModule on init.
 */
export const customerPublicEvents: PublicEventMapper<CustomerState> = {
  streamPrefix: CUSTOMER_STREAM_PREFIX,
  initialState: initialCustomerState,
  evolve: (state, event) => evolveCustomer(state, event as Envelope<CustomerStreamEvent>),
  view(state, version) {
    switch (state.status) {
      case 'absent':
        return null;
      case 'present':
        return {
          account_id: state.customer.account_id,
          livemode: state.customer.livemode,
          object: { ...toCustomerResource(state.customer, version) },
        };
      case 'deleted':
        return { account_id: state.account_id, livemode: state.livemode, object: { ...toDeletedCustomer(state.customer_id) } };
      default: {
        const unknown: never = state;
        return unknown;
      }
    }
  },
  publicType(event) {
    const customerEvent = event as Envelope<CustomerStreamEvent>;
    switch (customerEvent.type) {
      case 'CustomerCreated':
        return 'customer.created';
      case 'CustomerUpdated':
        return 'customer.updated';
      case 'CustomerDeleted':
        return 'customer.deleted';
      default: {
        const unknown: never = customerEvent;
        return unknown;
      }
    }
  },
  // The customer's own created_at / updated_at, so `?as_of=<updated_at>` shows that change.
  occurredAt(event) {
    const customerEvent = event as Envelope<CustomerStreamEvent>;
    switch (customerEvent.type) {
      case 'CustomerCreated':
        return customerEvent.data.created_at;
      case 'CustomerUpdated':
        return customerEvent.data.updated_at;
      case 'CustomerDeleted':
        return customerEvent.data.deleted_at;
      default: {
        const unknown: never = customerEvent;
        return unknown;
      }
    }
  },
};
