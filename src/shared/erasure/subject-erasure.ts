import { Inject, Injectable } from '@nestjs/common';
import { SubjectKeyStore } from '../crypto/subject-key.store';
import { Envelope, EventCodecs } from '../event-store/event-codec';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { IdempotencyRecords } from '../idempotency/idempotency.records';
import { CheckpointStore } from '../projections/checkpoint.store';
import { Projection } from '../projections/projection';
import { liveTarget, rebuildTarget, refoldRows } from '../projections/projection-batch';
import { PROJECTIONS, ProjectionRunner } from '../projections/projection-runner';
import { READ_DB, ReadDb, SqlExecutor } from '../read-db/read-db.port';
import { ErasureFence } from './erasure-fence';
import { DataSubject, ErasureScope, PersonalDataHolders } from './personal-data-holders';

/**
 * SPEC §8: erases one data subject (a customer) whose deletion is already in the log.
 *
 * Order, and why. DELETE appends CustomerDeleted first, so the decision is durable and a
 * replay of the log reaches the same end before anything is destroyed. Then ONE read-db
 * transaction destroys the key (secret NULL, destroyed_at set), rewrites the subject's rows
 * of every personal-data read model from the log, which now opens their personal fields as
 * null (the very rows a rebuild would write), deletes the idempotency records about the
 * subject's resources and lets each holder erase its own copies. It commits whole or not at
 * all, and destroyed_at is the mark that it did.
 *
 * A crash after the append and before that commit leaves a deleted customer (a 404 to every
 * read: its read-model row went with the append) whose key still exists. The client got no
 * answer, so it retries; the retried DELETE finds the erasure unmarked, completes it and
 * answers 200 (delete-customer.handler.ts). Completion rides on that retry, not on a
 * projection, because projections are pure folds and destroying a key is not one.
 *
 * The projection runner is paused meanwhile (`exclusive`): a batch decoded while the key
 * existed commits before the rewrite, never after it, and every later batch decodes
 * without the key. Other processes' runners on the same database are kept apart by the
 * ErasureFence: the erasure waits for their batches in flight, and each of their later
 * batches learns of it in its own transaction and decodes without the key.
 */
@Injectable()
export class SubjectErasure {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
    private readonly codecs: EventCodecs,
    private readonly keys: SubjectKeyStore,
    private readonly checkpoints: CheckpointStore,
    private readonly runner: ProjectionRunner,
    private readonly idempotency: IdempotencyRecords,
    private readonly holders: PersonalDataHolders,
    private readonly fence: ErasureFence,
  ) {}

  /** Erases the subject; false when an earlier erasure had already completed. */
  async erase(subject: DataSubject): Promise<boolean> {
    const erased = await this.runner.exclusive(async () => {
      this.keys.markDestroyed(subject.subjectId);
      try {
        return await this.db.transaction((tx) => this.eraseIn(tx, subject));
      } catch (error) {
        // Nothing was destroyed: let this process see the key again, so the retry can run.
        this.keys.forget(subject.subjectId);
        throw error;
      }
    });
    // Outside the transaction and the pause: this only pushes old pages out of the files.
    if (erased) await this.db.purgeDeleted();
    return erased;
  }

  private async eraseIn(tx: SqlExecutor, subject: DataSubject): Promise<boolean> {
    // First: the checkpoints read below must not move under the rewrite.
    await this.fence.enterErasure(tx);
    if (await this.keys.isDestroyed(tx, subject.subjectId)) return false;
    const streams = await this.holders.streamsOf(tx, subject);
    const scope: ErasureScope = { ...subject, streams, resourceIds: streams.map((s) => s.slice(s.indexOf('-') + 1)) };
    await this.rewriteReadModels(tx, streams);
    await this.idempotency.forgetResources(tx, scope.resourceIds);
    await this.holders.erase(tx, scope);
    await this.keys.destroy(tx, subject.subjectId);
    await this.fence.record(tx, subject.subjectId);
    return true;
  }

  /**
   * Each personal-data read model's rows of these streams, recomputed from their events up
   * to the table's checkpoint (the runner applies the rest later, also without the key).
   * A rebuild's side table, when one is under way or stopped, gets the same treatment, so
   * swapping it in cannot bring the old values back.
   */
  private async rewriteReadModels(tx: SqlExecutor, streams: string[]): Promise<void> {
    const recorded = (await Promise.all(streams.map((s) => this.store.readStream(s)))).flat();
    recorded.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
    const events: Envelope[] = await Promise.all(recorded.map((e) => this.codecs.decode(e)));
    for (const projection of this.projections.filter((p) => p.personalData)) {
      for (const target of [liveTarget(projection), rebuildTarget(projection)]) {
        // No checkpoint: the live table was never filled, or no rebuild exists (the side
        // table and its checkpoint are created and dropped together).
        const checkpoint = await this.checkpoints.find(target.checkpoint, tx);
        if (checkpoint === null) continue;
        await refoldRows(tx, projection, target.table, events.filter((e) => e.position <= checkpoint));
      }
    }
  }
}
