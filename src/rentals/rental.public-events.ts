import { PublicEventMapper } from '../events/public-event-mapper';
import { Envelope } from '../shared/event-store/event-codec';
import { evolveRental, initialRentalState, RENTAL_STREAM_PREFIX, RentalEvent, RentalState } from './rental.events';
import { toRentalResource } from './rental.resource';

/**
 * Rentals as the event log, histories, `as_of` reads and webhooks show them (SPEC §9): a
 * change of status to COMPLETED is `rental.completed`, to CANCELLED `rental.cancelled`, any
 * other change `rental.updated`. A lapsed vehicle hold changes no field and is not published.
 */
export const rentalPublicEvents: PublicEventMapper<RentalState> = {
  streamPrefix: RENTAL_STREAM_PREFIX,
  initialState: initialRentalState,
  evolve: (state, event) => evolveRental(state, event as Envelope<RentalEvent>),
  view: (state, version) =>
    state.status === 'absent'
      ? null
      : {
          account_id: state.rental.account_id,
          livemode: state.rental.livemode,
          object: { ...toRentalResource(state.rental, version) },
        },
  publicType(event) {
    const rentalEvent = event as Envelope<RentalEvent>;
    switch (rentalEvent.type) {
      case 'RentalCreated':
        return 'rental.created';
      case 'RentalUpdated':
        return 'rental.updated';
      case 'RentalStatusChanged':
        if (rentalEvent.data.to === 'COMPLETED') return 'rental.completed';
        if (rentalEvent.data.to === 'CANCELLED') return 'rental.cancelled';
        return 'rental.updated';
      case 'RentalHoldLapsed':
        return null;
      default: {
        const unknown: never = rentalEvent;
        return unknown;
      }
    }
  },
  occurredAt(event) {
    const rentalEvent = event as Envelope<RentalEvent>;
    switch (rentalEvent.type) {
      case 'RentalCreated':
        return rentalEvent.data.created_at;
      case 'RentalUpdated':
        return rentalEvent.data.updated_at;
      case 'RentalStatusChanged':
        return rentalEvent.data.changed_at;
      case 'RentalHoldLapsed':
        return rentalEvent.data.lapsed_at;
      default: {
        const unknown: never = rentalEvent;
        return unknown;
      }
    }
  },
};
