import { randomUUID } from 'node:crypto';

/**
 * The one event every contender appends: a rental-sized payload (~300 bytes of JSON) with the
 * correlation metadata the service stamps on real events, so no store wins on a toy row.
 */
export function rentalBooked(stream, n) {
  return {
    type: 'RentalBooked',
    schemaVersion: 1,
    data: {
      rental_id: stream,
      customer_id: `cus_${n.toString(36).padStart(8, '0')}`,
      vehicle_id: 'veh_0000bench',
      starts_at: '2030-01-01T10:00:00.000Z',
      ends_at: '2030-01-04T10:00:00.000Z',
      price: { amount: 12900 + n, currency: 'EUR' },
      note: 'bench',
    },
    metadata: { request_id: randomUUID(), key_id: 'key_bench', account_id: 'acct_bench', livemode: false },
  };
}
