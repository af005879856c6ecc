import { PersonalDataHolder } from '../../shared/erasure/personal-data-holders';
import { rentalStream } from '../rental.events';

/**
 * SPEC §8: a rental's delivery_location and metadata values are its customer's personal data
 * (rental.codec.ts seals them with the customer's key), so erasing a customer covers the
 * streams of its rentals too. They are found in the rental list, which holds every rental the
 * log has up to the runner's checkpoint (paused during an erasure); a rental further on is
 * projected later, after the key is gone, and so never with those values.
 */
export const rentalPersonalData: PersonalDataHolder = {
  name: 'rentals',
  async streamsOf(tx, { subjectId, accountId, livemode }) {
    const rows = await tx.all<{ id: string }>(
      'SELECT id FROM rm_rentals WHERE account_id = $1 AND livemode = $2 AND customer_id = $3',
      [accountId, livemode ? 1 : 0, subjectId],
    );
    return rows.map((row) => rentalStream(row.id));
  },
};
