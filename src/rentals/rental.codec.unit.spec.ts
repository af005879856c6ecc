import { upcast } from './rental.codec';

describe('rental event upcasting', () => {
  const v1 = { rental_id: 're_1', customer_id: 'cu_1', from: 'ACTIVE', to: 'COMPLETED', damage_at_return: true, changed_at: '2026-01-01T00:00:00.000Z' };

  it('reads a v1 RentalStatusChanged (no changes of its own) as v2 with no changes', () =>
    expect(upcast('RentalStatusChanged', 1, v1)).toEqual({ ...v1, changes: {} }));

  it('leaves a v2 RentalStatusChanged and other event types as stored', () => {
    const v2 = { ...v1, changes: { damage_at_return: true } };
    expect(upcast('RentalStatusChanged', 2, v2)).toBe(v2);
    expect(upcast('RentalUpdated', 1, { changes: {} })).toEqual({ changes: {} });
  });
});
