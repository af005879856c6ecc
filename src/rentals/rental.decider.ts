import { ConflictError, InvalidRequestError } from '../shared/errors/api-error';
import { Decider } from '../shared/event-store/decider';
import { applyMetadataPatch, MetadataPatch, sameMetadata } from '../shared/domain/metadata';
import { RentalChanges, terms, validateRental } from './rental.rules';
import {
  evolveRental,
  initialRentalState,
  Rental,
  RentalEditable,
  RentalEvent,
  RentalState,
  RentalStatus,
} from './rental.events';

export type { RentalChanges } from './rental.rules';

export type RentalCommand =
  | {
      type: 'CreateRental';
      data: {
        rentalId: string;
        accountId: string;
        livemode: boolean;
        customerId: string;
        vehicleId: string;
        bookingId: string | null;
        status: RentalStatus;
        changes: RentalChanges;
        now: Date;
      };
    }
  | { type: 'UpdateRental'; data: { status?: RentalStatus; changes: RentalChanges; now: Date } };

export class RentalNotFoundError extends Error {}

/** SPEC §4 status machine; COMPLETED and CANCELLED are final. */
export const TRANSITIONS: Record<RentalStatus, readonly RentalStatus[]> = {
  NEW: ['APPROVED', 'CANCELLED'],
  APPROVED: ['ACTIVE', 'CANCELLED'],
  ACTIVE: ['COMPLETED'],
  COMPLETED: [],
  CANCELLED: [],
};

/** What a PATCH may change in each state. */
interface Editable {
  terms: boolean;
  damage: boolean;
}

export function decideRental(command: RentalCommand, state: RentalState): RentalEvent[] {
  switch (command.type) {
    case 'CreateRental':
      return create(command.data, state);
    case 'UpdateRental':
      switch (state.status) {
        case 'absent':
          throw new RentalNotFoundError();
        // SPEC §4: the booking terms can change until the vehicle is handed over.
        case 'NEW':
        case 'APPROVED':
          return update(state.rental, command.data, { terms: true, damage: false });
        // Damage is recorded while the vehicle is out, or in the PATCH that completes it.
        case 'ACTIVE':
          return update(state.rental, command.data, { terms: false, damage: true });
        // Final: only metadata can still change.
        case 'COMPLETED':
        case 'CANCELLED':
          return update(state.rental, command.data, { terms: false, damage: false });
        default: {
          const unknown: never = state;
          return unknown;
        }
      }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

function create(data: Extract<RentalCommand, { type: 'CreateRental' }>['data'], state: RentalState): RentalEvent[] {
  if (state.status !== 'absent') {
    throw new ConflictError('resource_exists', `Rental ${data.rentalId} already exists.`);
  }
  const { changes, status } = data;
  const editable: RentalEditable = {
    ...terms({ pickup_type: 'pickup', delivery_location: null, start_date: null, end_date: null, final_price_cents: null }, changes),
    damage_at_return: changes.damage_at_return ?? false,
    metadata: applyMetadataPatch({}, changes.metadata),
  };
  // History sync may create a rental that already came back damaged; nothing else can be.
  if (editable.damage_at_return && status !== 'ACTIVE' && status !== 'COMPLETED') {
    throw new InvalidRequestError('damage_at_return can be true only for an ACTIVE or COMPLETED rental.', 'damage_at_return');
  }
  validateRental(editable, status);
  return [
    {
      type: 'RentalCreated',
      data: {
        rental_id: data.rentalId,
        account_id: data.accountId,
        livemode: data.livemode,
        customer_id: data.customerId,
        vehicle_id: data.vehicleId,
        booking_id: data.bookingId,
        status,
        ...editable,
        created_at: data.now.toISOString(),
      },
    },
  ];
}

function update(
  rental: Rental,
  data: Extract<RentalCommand, { type: 'UpdateRental' }>['data'],
  editable: Editable,
): RentalEvent[] {
  const target = data.status ?? rental.status;
  // Asking for the status the rental already has is not a transition: a retried PATCH is a no-op.
  if (target !== rental.status && !TRANSITIONS[rental.status].includes(target)) {
    throw new ConflictError(
      'invalid_status_transition',
      `A ${rental.status} rental cannot become ${target}.`,
      'status',
    );
  }
  const changed = diff(rental, data.changes);
  for (const field of Object.keys(changed) as (keyof RentalEditable)[]) {
    const isTerm = field !== 'metadata' && field !== 'damage_at_return';
    if ((isTerm && !editable.terms) || (field === 'damage_at_return' && !editable.damage)) {
      // 409, not 400: the request is well-formed; the rental's current state forbids it.
      const param = publicName(field);
      throw new ConflictError('rental_not_editable', `${param} cannot be changed while the rental is ${rental.status}.`, param);
    }
  }
  const next = { ...rental, ...changed };
  validateRental(next, target, changed);
  const at = data.now.toISOString();
  const { rental_id, customer_id } = rental;
  if (target !== rental.status) {
    const { damage_at_return } = next;
    return [{ type: 'RentalStatusChanged', data: { rental_id, customer_id, from: rental.status, to: target, damage_at_return, changes: changed, changed_at: at } }];
  }
  if (Object.keys(changed).length === 0) return [];
  return [{ type: 'RentalUpdated', data: { rental_id, customer_id, changes: changed, updated_at: at } }];
}

/** The fields whose value the PATCH really changes; unchanged values are not edits. */
function diff(current: Rental, changes: RentalChanges): Partial<RentalEditable> {
  const { metadata, damage_at_return, ...rest } = changes;
  const nextTerms = terms(current, rest);
  const out: Partial<RentalEditable> = {};
  for (const [field, value] of Object.entries(nextTerms) as [keyof typeof nextTerms, unknown][]) {
    if (current[field] !== value) (out as Record<string, unknown>)[field] = value;
  }
  if (damage_at_return !== undefined && damage_at_return !== current.damage_at_return) out.damage_at_return = damage_at_return;
  if (metadata !== undefined) {
    const next = applyMetadataPatch(current.metadata, metadata as MetadataPatch);
    if (!sameMetadata(next, current.metadata)) out.metadata = next;
  }
  return out;
}

const publicName = (field: string) => (field === 'final_price_cents' ? 'final_price' : field);


export const rentalDecider: Decider<RentalState, RentalCommand, RentalEvent> = {
  initialState: initialRentalState,
  evolve: evolveRental,
  decide: decideRental,
};
