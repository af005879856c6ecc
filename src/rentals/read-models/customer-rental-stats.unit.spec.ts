import { RentalEvent, RentalStatus } from '../rental.events';
import { countRental, CustomerRentalStats, statsFields } from './customer-rental-stats';

const changed = (from: RentalStatus, to: RentalStatus, damage_at_return = false): RentalEvent => ({
  type: 'RentalStatusChanged',
  data: { rental_id: 're_1', customer_id: 'cu_1', from, to, damage_at_return, changes: {}, changed_at: '2026-03-01T00:00:00.000Z' },
});
const none: CustomerRentalStats = { completed: 0, completed_with_damage: 0, cancelled_after_approval: 0 };
const fold = (events: RentalEvent[]) => statsFields(events.reduce(countRental, none));

describe('customer rental stats (SPEC §3)', () => {
  it('starts at 50, not returning', () => expect(fold([])).toEqual({ total_rentals: 0, is_returning: false, overall_score: 50 }));

  it('adds 5 per clean return and makes the customer returning', () =>
    expect(fold([changed('ACTIVE', 'COMPLETED'), changed('ACTIVE', 'COMPLETED')])).toEqual({
      total_rentals: 2,
      is_returning: true,
      overall_score: 60,
    }));

  it('takes 15 per return with damage, which still counts as a rental', () =>
    expect(fold([changed('ACTIVE', 'COMPLETED', true)])).toEqual({ total_rentals: 1, is_returning: true, overall_score: 35 }));

  it('takes 5 only for a cancellation after approval', () =>
    expect(fold([changed('APPROVED', 'CANCELLED'), changed('NEW', 'CANCELLED'), changed('NEW', 'APPROVED')])).toEqual({
      total_rentals: 0,
      is_returning: false,
      overall_score: 45,
    }));

  it('clamps to 0..100 without losing count', () => {
    const damaged = Array.from({ length: 5 }, () => changed('ACTIVE', 'COMPLETED', true));
    expect(fold(damaged).overall_score).toBe(0);
    // From the counts, not a clamped running value: 50 − 75 + 100 = 75.
    expect(fold([...damaged, ...Array.from({ length: 20 }, () => changed('ACTIVE', 'COMPLETED'))]).overall_score).toBe(75);
    expect(fold(Array.from({ length: 30 }, () => changed('ACTIVE', 'COMPLETED'))).overall_score).toBe(100);
  });
});
