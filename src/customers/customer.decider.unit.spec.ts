import { deciderSpec } from '../../test/support/decider-spec';
import { ConflictError, InvalidRequestError } from '../shared/errors/api-error';
import { CustomerCommand, customerDecider, CustomerNotFoundError } from './customer.decider';
import { CustomerCreated, CustomerDeleted, CustomerEvent } from './customer.events';

const spec = deciderSpec(customerDecider);
const now = new Date('2026-03-01T10:00:00.000Z');
const later = new Date('2026-03-02T10:00:00.000Z');

const created: CustomerCreated = {
  type: 'CustomerCreated',
  data: {
    customer_id: 'cu_1',
    account_id: 'acct_1',
    livemode: false,
    external_id: null,
    full_name: 'Jane Doe',
    email: 'jane@example.com',
    phone: null,
    preferred_language: 'en',
    source_channel: null,
    notes: null,
    metadata: { tier: 'gold', region: 'eu' },
    status: 'ACTIVE',
    archived: false,
    plan_id: null,
    period_start: null,
    created_at: now.toISOString(),
  },
};

const create = (profile: Record<string, unknown>): CustomerCommand => ({
  type: 'CreateCustomer',
  data: { customerId: 'cu_1', accountId: 'acct_1', livemode: false, externalId: null, profile: profile as never, now },
});
const update = (changes: Record<string, unknown>, resetPeriod?: boolean): CustomerCommand => ({
  type: 'UpdateCustomer',
  data: { changes, resetPeriod, now: later },
});
const remove: CustomerCommand = { type: 'DeleteCustomer', data: { now: later } };
const deleted: CustomerDeleted = { type: 'CustomerDeleted', data: { customer_id: 'cu_1', deleted_at: later.toISOString() } };
const updated = (changes: Record<string, unknown>): CustomerEvent => ({
  type: 'CustomerUpdated',
  data: { customer_id: 'cu_1', changes, updated_at: later.toISOString() },
});

describe('customer decider', () => {
  describe('when the customer does not exist', () => {
    it('creates it with defaults for every field not given', () => {
      spec
        .given([])
        .when(create({ full_name: 'Jane Doe', email: 'jane@example.com', metadata: { tier: 'gold', region: 'eu' } }))
        .then([created]);
    });

    it('refuses an update', () => {
      spec.given([]).when(update({ full_name: 'X' })).thenThrows(CustomerNotFoundError);
    });

    it('refuses a delete', () => {
      spec.given([]).when(remove).thenThrows(CustomerNotFoundError);
    });
  });

  describe('when the customer exists', () => {
    it('refuses to create it twice', () => {
      spec.given([created]).when(create({ full_name: 'Again' })).thenThrows(ConflictError);
    });

    it('records only the fields that changed', () => {
      spec
        .given([created])
        .when(update({ full_name: 'Jane Doe', email: 'new@example.com', phone: null }))
        .then([updated({ email: 'new@example.com' })]);
    });

    it('appends nothing for a change that changes nothing', () => {
      spec.given([created]).when(update({ full_name: 'Jane Doe', metadata: { tier: 'gold' } })).then([]);
    });

    it('merges metadata: new keys added, null removes a key', () => {
      spec
        .given([created])
        .when(update({ metadata: { region: null, color: 'red' } }))
        .then([updated({ metadata: { tier: 'gold', color: 'red' } })]);
    });

    it('clears metadata when it is set to null', () => {
      spec.given([created]).when(update({ metadata: null })).then([updated({ metadata: {} })]);
    });

    it('clears email when it is set to null', () => {
      spec.given([created]).when(update({ email: null })).then([updated({ email: null })]);
    });

    it('refuses a merge that would exceed 50 metadata keys', () => {
      const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
      spec.given([created]).when(update({ metadata: many })).thenThrows(InvalidRequestError);
    });
  });

  describe('when the customer is deleted (SPEC §3/§8)', () => {
    it('records the deletion with nothing personal in it', () => {
      spec.given([created, updated({ notes: 'VIP' })]).when(remove).then([deleted]);
      expect(Object.keys(deleted.data).sort()).toEqual(['customer_id', 'deleted_at']);
    });

    it('answers a second delete as a customer that does not exist (a 404)', () => {
      spec.given([created, deleted]).when(remove).thenThrows(CustomerNotFoundError);
      spec.given([created, deleted]).when(remove).thenThrows(expect.objectContaining({ status: 404, code: 'resource_missing' }));
    });

    it('refuses to update a deleted customer', () => {
      spec.given([created, deleted]).when(update({ full_name: 'Back again' })).thenThrows(CustomerNotFoundError);
    });

    it('never creates a new customer under a deleted one\'s id', () => {
      spec
        .given([created, deleted])
        .when(create({ full_name: 'Jane Doe' }))
        .thenThrows(expect.objectContaining({ status: 409, code: 'resource_deleted' }));
    });
  });

  describe('when the customer was updated before', () => {
    it('decides on the folded state', () => {
      spec
        .given([created, updated({ status: 'PAUSED' })])
        .when(update({ status: 'PAUSED', archived: true }))
        .then([updated({ archived: true })]);
    });
  });

  describe('quota plan and period (SPEC §6)', () => {
    const withPlan = updated({ plan_id: 'pln_basic', period_start: now.toISOString() });

    it('starts the first period when the customer is created with a plan', () => {
      spec
        .given([])
        .when(create({ full_name: 'Jane Doe', email: 'jane@example.com', metadata: { tier: 'gold', region: 'eu' }, plan_id: 'pln_basic' }))
        .then([{ ...created, data: { ...created.data, plan_id: 'pln_basic', period_start: now.toISOString() } }]);
    });

    it('starts a fresh period when a plan is attached', () => {
      spec.given([created]).when(update({ plan_id: 'pln_basic' })).then([updated({ plan_id: 'pln_basic', period_start: later.toISOString() })]);
    });

    it('keeps the period when the customer switches to another plan', () => {
      spec.given([created, withPlan]).when(update({ plan_id: 'pln_pro' })).then([updated({ plan_id: 'pln_pro' })]);
    });

    it('ends the period when the plan is detached', () => {
      spec.given([created, withPlan]).when(update({ plan_id: null })).then([updated({ plan_id: null, period_start: null })]);
    });

    it('starts a fresh period on reset_period, also with the same plan sent again (an upsert renewal)', () => {
      spec.given([created, withPlan]).when(update({}, true)).then([updated({ period_start: later.toISOString() })]);
      spec.given([created, withPlan]).when(update({ plan_id: 'pln_basic' }, true)).then([updated({ period_start: later.toISOString() })]);
    });

    it('appends nothing when the same plan is sent without a reset', () => {
      spec.given([created, withPlan]).when(update({ plan_id: 'pln_basic' })).then([]);
    });

    it('refuses reset_period for a customer without a plan, naming the param', () => {
      spec.given([created]).when(update({}, true)).thenThrows(expect.objectContaining({ param: 'reset_period' }));
      spec.given([created, withPlan]).when(update({ plan_id: null }, true)).thenThrows(InvalidRequestError);
    });
  });
});
