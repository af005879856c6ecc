import { ApiError } from '../shared/errors/api-error';
import { decideRental, RentalCommand, RentalNotFoundError } from './rental.decider';
import { evolveRental, initialRentalState, RentalCreated, RentalEvent, RentalStatus } from './rental.events';

const now = new Date('2026-03-01T10:00:00.000Z');
const at = now.toISOString();
const ids = { rental_id: 're_1', customer_id: 'cu_1' };

const created = (data: Partial<RentalCreated['data']> = {}): RentalEvent => ({
  type: 'RentalCreated',
  data: {
    ...ids,
    account_id: 'acct_1',
    livemode: false,
    vehicle_id: 'car-7',
    booking_id: null,
    status: 'NEW',
    start_date: '2026-04-01',
    end_date: '2026-04-05',
    pickup_type: 'pickup',
    delivery_location: null,
    final_price_cents: 19999,
    damage_at_return: false,
    metadata: {},
    created_at: '2026-02-01T00:00:00.000Z',
    ...data,
  },
});
const statusChanged = (from: RentalStatus, to: RentalStatus, damage_at_return = false, changes = {}): RentalEvent => ({
  type: 'RentalStatusChanged',
  data: { ...ids, from, to, damage_at_return, changes, changed_at: at },
});
const update = (data: Omit<Extract<RentalCommand, { type: 'UpdateRental' }>['data'], 'now' | 'changes'> & {
  changes?: Extract<RentalCommand, { type: 'UpdateRental' }>['data']['changes'];
}): RentalCommand => ({ type: 'UpdateRental', data: { changes: {}, ...data, now } });
const create = (status: RentalStatus, changes: Extract<RentalCommand, { type: 'CreateRental' }>['data']['changes'] = {}): RentalCommand => ({
  type: 'CreateRental',
  data: { rentalId: 're_1', accountId: 'acct_1', livemode: false, customerId: 'cu_1', vehicleId: 'car-7', bookingId: null, status, changes, now },
});

function given(history: RentalEvent[]) {
  const state = history.reduce(evolveRental, initialRentalState());
  return {
    when: (command: RentalCommand) => ({
      then: (expected: RentalEvent[]) => expect(decideRental(command, state)).toEqual(expected),
      thenThrows: (expected: Partial<ApiError> | (new () => Error)) => {
        if (typeof expected === 'function') return expect(() => decideRental(command, state)).toThrow(expected);
        let thrown: unknown;
        try {
          decideRental(command, state);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(ApiError);
        expect(thrown).toMatchObject(expected);
      },
    }),
  };
}

describe('rental decider', () => {
  describe('when absent', () => {
    it('creates a NEW pickup rental with defaults', () =>
      given([])
        .when(create('NEW', { start_date: '2026-04-01', end_date: '2026-04-05', final_price_cents: 19999 }))
        .then([{ ...created(), data: { ...created().data, created_at: at } } as RentalEvent]));

    it('accepts any status, to sync history, including a damaged return', () =>
      given([])
        .when(create('COMPLETED', { start_date: '2026-01-01', end_date: '2026-01-03', damage_at_return: true }))
        .then([created({ status: 'COMPLETED', start_date: '2026-01-01', end_date: '2026-01-03', damage_at_return: true, final_price_cents: null, created_at: at })]));

    it.each([
      ['an end before the start', { start_date: '2026-04-05', end_date: '2026-04-01' }, 'NEW', 'end_date'],
      ['a start without an end', { start_date: '2026-04-05' }, 'NEW', 'end_date'],
      ['an end without a start', { end_date: '2026-04-05' }, 'NEW', 'start_date'],
      ['a delivery without a location', { pickup_type: 'delivery' as const }, 'NEW', 'delivery_location'],
      ['a location for a pickup', { delivery_location: 'Main St 1' }, 'NEW', 'delivery_location'],
      ['an APPROVED rental without dates', {}, 'APPROVED', 'start_date'],
      ['damage on a rental not yet out', { damage_at_return: true }, 'NEW', 'damage_at_return'],
    ] as const)('rejects %s naming the param', (_label, changes, status, param) =>
      given([]).when(create(status, changes)).thenThrows({ status: 400, param }));

    it('has nothing to update', () => given([]).when(update({ status: 'APPROVED' })).thenThrows(RentalNotFoundError));
  });

  describe('when new', () => {
    const history = [created()];

    it('approves', () => given(history).when(update({ status: 'APPROVED' })).then([statusChanged('NEW', 'APPROVED')]));
    it('cancels', () => given(history).when(update({ status: 'CANCELLED' })).then([statusChanged('NEW', 'CANCELLED')]));
    it.each(['ACTIVE', 'COMPLETED'] as const)('refuses to skip to %s', (status) =>
      given(history).when(update({ status })).thenThrows({ status: 409, code: 'invalid_status_transition' }));

    it('approves with new terms in the same change: one event that carries them', () =>
      given(history)
        .when(update({ status: 'APPROVED', changes: { final_price_cents: 25050 } }))
        .then([statusChanged('NEW', 'APPROVED', false, { final_price_cents: 25050 })]));

    it('folds a status change with its changes into the next state', () =>
      given([...history, statusChanged('NEW', 'APPROVED', false, { final_price_cents: 25050 })])
        .when(update({ changes: { final_price_cents: 25050 } }))
        .then([]));

    it('records only the fields that change', () =>
      given(history)
        .when(update({ changes: { start_date: '2026-04-01', end_date: '2026-04-07', final_price_cents: 19999 } }))
        .then([{ type: 'RentalUpdated', data: { ...ids, changes: { end_date: '2026-04-07' }, updated_at: at } }]));

    it('appends nothing when nothing changes, the same status included', () =>
      given(history).when(update({ status: 'NEW', changes: { pickup_type: 'pickup', metadata: {} } })).then([]));

    it('switches to delivery with a location, and back to pickup dropping it', () => {
      given(history)
        .when(update({ changes: { pickup_type: 'delivery', delivery_location: 'Main St 1' } }))
        .then([{ type: 'RentalUpdated', data: { ...ids, changes: { pickup_type: 'delivery', delivery_location: 'Main St 1' }, updated_at: at } }]);
      given([created({ pickup_type: 'delivery', delivery_location: 'Main St 1' })])
        .when(update({ changes: { pickup_type: 'pickup' } }))
        .then([{ type: 'RentalUpdated', data: { ...ids, changes: { pickup_type: 'pickup', delivery_location: null }, updated_at: at } }]);
    });

    it('merges metadata', () =>
      given([created({ metadata: { a: '1', b: '2' } })])
        .when(update({ changes: { metadata: { a: null, c: '3' } } }))
        .then([{ type: 'RentalUpdated', data: { ...ids, changes: { metadata: { b: '2', c: '3' } }, updated_at: at } }]));

    it('does not take damage before the vehicle is out', () =>
      given(history).when(update({ changes: { damage_at_return: true } })).thenThrows({ status: 409, code: 'rental_not_editable', param: 'damage_at_return' }));

    it('cannot be created twice', () => given(history).when(create('NEW')).thenThrows({ status: 409, code: 'resource_exists' }));

    it("still changes status when its customer's erasure took the delivery address (SPEC §8)", () => {
      const erased = [created({ pickup_type: 'delivery', delivery_location: null })];
      given(erased).when(update({ status: 'CANCELLED' })).then([statusChanged('NEW', 'CANCELLED')]);
      given(erased).when(update({ changes: { delivery_location: null } })).then([]);
      given(erased).when(update({ changes: { pickup_type: 'delivery', final_price_cents: 100 } })).then([
        { type: 'RentalUpdated', data: { ...ids, changes: { final_price_cents: 100 }, updated_at: at } },
      ]);
    });
  });

  describe('when approved', () => {
    const history = [created(), statusChanged('NEW', 'APPROVED')];

    it('activates', () => given(history).when(update({ status: 'ACTIVE' })).then([statusChanged('APPROVED', 'ACTIVE')]));
    it('cancels', () => given(history).when(update({ status: 'CANCELLED' })).then([statusChanged('APPROVED', 'CANCELLED')]));
    it('does not go back to NEW', () =>
      given(history).when(update({ status: 'NEW' })).thenThrows({ status: 409, code: 'invalid_status_transition', param: 'status' }));

    it('still takes new terms, checked together', () => {
      given(history)
        .when(update({ changes: { final_price_cents: 25050 } }))
        .then([{ type: 'RentalUpdated', data: { ...ids, changes: { final_price_cents: 25050 }, updated_at: at } }]);
      given(history).when(update({ changes: { end_date: '2026-03-01' } })).thenThrows({ status: 400, param: 'end_date' });
    });
  });

  describe('when active', () => {
    const history = [created(), statusChanged('NEW', 'APPROVED'), statusChanged('APPROVED', 'ACTIVE')];

    it('completes with damage recorded in the same change: one event, not an update and a completion', () =>
      given(history)
        .when(update({ status: 'COMPLETED', changes: { damage_at_return: true } }))
        .then([statusChanged('ACTIVE', 'COMPLETED', true, { damage_at_return: true })]));

    it('completes carrying damage recorded before', () =>
      given([...history, { type: 'RentalUpdated', data: { ...ids, changes: { damage_at_return: true }, updated_at: at } }])
        .when(update({ status: 'COMPLETED' }))
        .then([statusChanged('ACTIVE', 'COMPLETED', true)]));

    it('no longer takes new terms', () =>
      given(history).when(update({ changes: { final_price_cents: 1 } })).thenThrows({ status: 409, code: 'rental_not_editable', param: 'final_price' }));

    it('cannot be cancelled', () =>
      given(history).when(update({ status: 'CANCELLED' })).thenThrows({ status: 409, code: 'invalid_status_transition' }));
  });

  describe.each([
    ['completed', 'COMPLETED', [created(), statusChanged('NEW', 'APPROVED'), statusChanged('APPROVED', 'ACTIVE'), statusChanged('ACTIVE', 'COMPLETED')]],
    ['cancelled', 'CANCELLED', [created(), statusChanged('NEW', 'CANCELLED')]],
  ] as const)('when %s', (_state, current, history) => {
    it('is final: every other status is refused, its own is a no-op', () => {
      for (const status of ['NEW', 'APPROVED', 'ACTIVE', 'COMPLETED', 'CANCELLED'] as const) {
        if (status === current) given([...history]).when(update({ status })).then([]);
        else given([...history]).when(update({ status })).thenThrows({ status: 409, code: 'invalid_status_transition' });
      }
    });

    it('takes metadata, not damage or terms', () => {
      given([...history])
        .when(update({ changes: { metadata: { note: 'x' } } }))
        .then([{ type: 'RentalUpdated', data: { ...ids, changes: { metadata: { note: 'x' } }, updated_at: at } }]);
      given([...history]).when(update({ changes: { damage_at_return: true } })).thenThrows({ status: 409, code: 'rental_not_editable' });
      given([...history]).when(update({ changes: { start_date: '2026-04-02' } })).thenThrows({ status: 409, code: 'rental_not_editable' });
    });
  });
});
