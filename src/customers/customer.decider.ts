import { applyMetadataPatch, MetadataPatch, sameMetadata } from '../shared/domain/metadata';
import { Decider } from '../shared/event-store/decider';
import { ConflictError, InvalidRequestError, NotFoundError } from '../shared/errors/api-error';
import {
  Customer,
  CustomerEditable,
  CustomerPeriod,
  CustomerStreamEvent,
  CustomerState,
  evolveCustomer,
  initialCustomerState,
} from './customer.events';

/** A metadata patch: a key set to null is removed; `null` for the whole map clears it. */

export type CustomerChanges = Partial<Omit<CustomerEditable, 'metadata'>> & { metadata?: MetadataPatch };

export type CustomerCommand =
  | {
      type: 'CreateCustomer';
      data: {
        customerId: string;
        accountId: string;
        livemode: boolean;
        externalId: string | null;
        profile: CustomerChanges & { full_name: string };
        now: Date;
      };
    }
  | {
      type: 'UpdateCustomer';
      /** `resetPeriod`: start a fresh quota period now (PATCH reset_period, an upsert that sets a plan). */
      data: { changes: CustomerChanges; resetPeriod?: boolean; now: Date };
    }
  | {
      /** SPEC §3/§8: erasure. The key is destroyed after the append (shared/erasure). */
      type: 'DeleteCustomer';
      data: { now: Date };
    };


/** SPEC §3: a customer that was never created, or was deleted, is a 404 to every command. */
export class CustomerNotFoundError extends NotFoundError {
  constructor(state: CustomerState) {
    const id = state.status === 'present' ? state.customer.customer_id : state.status === 'deleted' ? state.customer_id : '';
    super('customer', id);
  }
}

export function decideCustomer(command: CustomerCommand, state: CustomerState): CustomerStreamEvent[] {
  switch (command.type) {
    case 'CreateCustomer': {
      if (state.status === 'present') {
        throw new ConflictError('resource_exists', `Customer ${command.data.customerId} already exists.`);
      }
      // Erasure is for good: the id of a deleted customer never names a new one.
      if (state.status === 'deleted') {
        throw new ConflictError('resource_deleted', `Customer ${command.data.customerId} was deleted; its id cannot be reused.`);
      }
      const { profile, now } = command.data;
      return [
        {
          type: 'CustomerCreated',
          data: {
            customer_id: command.data.customerId,
            account_id: command.data.accountId,
            livemode: command.data.livemode,
            external_id: command.data.externalId,
            full_name: profile.full_name,
            email: profile.email ?? null,
            phone: profile.phone ?? null,
            preferred_language: profile.preferred_language ?? 'en',
            source_channel: profile.source_channel ?? null,
            notes: profile.notes ?? null,
            metadata: applyMetadataPatch({}, profile.metadata),
            status: profile.status ?? 'ACTIVE',
            archived: profile.archived ?? false,
            plan_id: profile.plan_id ?? null,
            // SPEC §6: a customer created with a plan starts its first period now.
            period_start: profile.plan_id ? now.toISOString() : null,
            created_at: now.toISOString(),
          },
        },
      ];
    }
    case 'UpdateCustomer': {
      if (state.status !== 'present') throw new CustomerNotFoundError(state);
      const changed: Partial<CustomerEditable & CustomerPeriod> = diff(state.customer, command.data.changes);
      const periodStart = nextPeriodStart(state.customer, changed, command.data);
      if (periodStart !== state.customer.period_start) changed.period_start = periodStart;
      // SPEC §3: a PATCH that changes nothing appends no event.
      if (Object.keys(changed).length === 0) return [];
      return [
        {
          type: 'CustomerUpdated',
          data: { customer_id: state.customer.customer_id, changes: changed, updated_at: command.data.now.toISOString() },
        },
      ];
    }
    case 'DeleteCustomer': {
      // Deleting twice: the second finds no customer (SPEC §3 "afterwards … a 404").
      if (state.status !== 'present') throw new CustomerNotFoundError(state);
      return [
        {
          type: 'CustomerDeleted',
          data: { customer_id: state.customer.customer_id, deleted_at: command.data.now.toISOString() },
        },
      ];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

/**
 * SPEC §3/§6: attaching a plan to a customer without one, `reset_period`, and an upsert that
 * sets a plan start a fresh period now; switching from one plan to another keeps the period
 * (the new quota applies to it from then on); detaching ends it.
 */
function nextPeriodStart(current: Customer, changed: Partial<CustomerEditable>, { resetPeriod, now }: { resetPeriod?: boolean; now: Date }) {
  const planId = changed.plan_id !== undefined ? changed.plan_id : current.plan_id;
  if (planId === null) {
    if (resetPeriod) throw new InvalidRequestError('reset_period needs a plan, and the customer has none.', 'reset_period');
    return null;
  }
  if (resetPeriod || current.plan_id === null || current.period_start === null) return now.toISOString();
  return current.period_start;
}

function diff(current: CustomerEditable, changes: CustomerChanges): Partial<CustomerEditable> {
  const out: Partial<CustomerEditable> = {};
  for (const [field, value] of Object.entries(changes) as [keyof CustomerChanges, unknown][]) {
    if (value === undefined) continue;
    if (field === 'metadata') {
      const next = applyMetadataPatch(current.metadata, value as MetadataPatch);
      if (!sameMetadata(next, current.metadata)) out.metadata = next;
    } else if (current[field] !== value) {
      (out as Record<string, unknown>)[field] = value;
    }
  }
  return out;
}



export const customerDecider: Decider<CustomerState, CustomerCommand, CustomerStreamEvent> = {
  initialState: initialCustomerState,
  evolve: evolveCustomer,
  decide: decideCustomer,
};
