import { ReadDb, SqlExecutor } from '../read-db/read-db.port';
import { CheckpointConflictError, CheckpointStore } from './checkpoint.store';
import { Projection, projectionIndexDdl } from './projection';
import { rebuildTarget } from './projection-batch';

/** Applies the next batch after `after` to the side table inside `tx`; null at the log's end. */
export type CatchUp = (tx: SqlExecutor, after: bigint) => Promise<{ position: bigint } | null>;

const ATTEMPTS = 5;

/**
 * Puts a rebuilt side table in place of the live one, in ONE read-db transaction:
 *
 *   1. DROP the live table. This is the lock: on PostgreSQL it waits for every transaction
 *      that reads or writes the table (the serving process's runner among them) to finish,
 *      then holds ACCESS EXCLUSIVE until commit, so no runner can move the live rows while
 *      we swap and API reads wait the few milliseconds it takes. On SQLite the transaction
 *      is BEGIN IMMEDIATE: no other writer at all until commit.
 *   2. Read the live checkpoint L with its row locked (FOR UPDATE on PostgreSQL). A runner
 *      transaction that moved only the checkpoint (its batch held no event of this table,
 *      so the DROP did not wait for it) is waited for here, and no runner can move L again
 *      until we commit. If the rebuild is behind L, catch the side table up to at least L
 *      inside this transaction.
 *   3. Rename the side table to the live name, create its indexes (they were left off
 *      while loading), and set the live checkpoint from L to the rebuild's position R ≥ L
 *      by compare-and-set; drop the rebuild's checkpoint.
 *
 * The live runner only ever advances a checkpoint by compare-and-set from the value it
 * holds in memory. If R = L its next batch continues on the new table as if nothing
 * happened; if R > L its CAS fails, its whole batch rolls back and it reloads checkpoints
 * (ProjectionRunner.wake), so no event is applied twice or skipped. Without the row lock in
 * step 2 a stream of such checkpoint-only batches made every attempt's CAS fail (seen on
 * PostgreSQL under steady writes); the retry below is left for a checkpoint row that did
 * not exist yet, which nothing can lock.
 */
export async function swapRebuiltTable(
  db: ReadDb,
  checkpoints: CheckpointStore,
  projection: Projection,
  catchUp: CatchUp,
  /** Runs first in the transaction: locks every writer must take before any table (erasure-fence.ts). */
  first: (tx: SqlExecutor) => Promise<void> = async () => undefined,
): Promise<bigint> {
  const side = rebuildTarget(projection);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        await first(tx);
        await tx.run(`DROP TABLE IF EXISTS ${projection.table}`);
        const live = await checkpoints.loadLocked(tx, projection.name);
        let position = await checkpoints.load(side.checkpoint, tx);
        while (position < live) {
          const next = await catchUp(tx, position);
          // The live runner has read up to L, so the log cannot end before it.
          if (!next) throw new Error(`${projection.name}: the log ends at ${position}, before the live checkpoint ${live}`);
          position = next.position;
        }
        await tx.run(`ALTER TABLE ${side.table} RENAME TO ${projection.table}`);
        for (const ddl of projectionIndexDdl(projection)) await tx.run(ddl);
        await checkpoints.advance(tx, projection.name, live, position);
        await checkpoints.remove(tx, side.checkpoint);
        return position;
      });
    } catch (error) {
      if (!(error instanceof CheckpointConflictError) || attempt === ATTEMPTS) throw error;
    }
  }
}
