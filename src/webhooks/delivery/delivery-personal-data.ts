import { PersonalDataHolder } from '../../shared/erasure/personal-data-holders';

/**
 * SPEC §8 "webhook payload logs". The outbox keeps no payload: a delivery sends the event as
 * the events read model holds it at send time, which the erasure has already rewritten. But
 * each attempt keeps up to 1 KB of the receiver's answer, and a receiver may echo what it was
 * sent; those excerpts go for every delivery about the subject's resources.
 */
export const deliveryPersonalData: PersonalDataHolder = {
  name: 'webhook_attempts',
  async erase(tx, { resourceIds }) {
    if (resourceIds.length === 0) return;
    await tx.run(
      `UPDATE webhook_attempts SET response_excerpt = NULL
       WHERE response_excerpt IS NOT NULL AND delivery_id IN (
         SELECT id FROM webhook_deliveries WHERE resource_id IN (${resourceIds.map((_, i) => `$${i + 1}`).join(', ')}))`,
      resourceIds,
    );
  },
};
