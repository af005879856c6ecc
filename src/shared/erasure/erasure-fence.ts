import { Inject, Injectable } from '@nestjs/common';
import { SubjectKeyStore } from '../crypto/subject-key.store';
import { READ_DB, ReadDb, SqlExecutor } from '../read-db/read-db.port';

/**
 * Keeps projection batches and erasures of any process on one database apart (SPEC §8).
 *
 * A batch is decoded before its transaction, with the keys this process holds. If another
 * process erased one of those subjects in between, the batch would write the old values
 * back after the erasure rewrote them. So every erasure is numbered in `erasures`, inside
 * its own transaction, and every batch transaction first looks for erasures it has not seen:
 * it marks their keys destroyed here and decodes the batch again before writing a row.
 *
 * The two must not overlap either: on PostgreSQL a batch takes the `erasures` table in SHARE
 * mode and an erasure in EXCLUSIVE mode, so an erasure waits for the batches in flight and
 * they wait for it (several batches never wait for each other). SQLite has one writer at a
 * time, so its transactions are already apart.
 */
@Injectable()
export class ErasureFence {
  /** The last erasure this process's key cache knows of (only grows); null until first asked. */
  private seen: number | null = null;

  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly keys: SubjectKeyStore,
  ) {}

  /**
   * Taken before decoding a batch: what the keys it is decoded with already reflect. The
   * runner takes the first one at startup, before any request; keys cached before it are
   * dropped, so every key this process holds was read after the erasures up to `seen`.
   */
  async mark(): Promise<number> {
    if (this.seen === null) {
      const latest = await this.latest(this.db);
      if (this.seen === null) {
        this.keys.forgetAll();
        this.seen = latest;
      }
    }
    return this.seen;
  }

  /**
   * Keeps erasures out until `tx` ends (PostgreSQL: `erasures` in SHARE mode). It must be the
   * transaction's first lock: every writer that meets an erasure takes `erasures` first.
   */
  async holdOffErasures(tx: SqlExecutor): Promise<void> {
    if (this.db.dialect === 'postgres') await tx.run('LOCK TABLE erasures IN SHARE MODE');
  }

  /**
   * First statement of a projection batch's transaction, with the batch's `mark`. True when
   * erasures committed since: their keys are now destroyed here, so decode the batch again.
   */
  async enterBatch(tx: SqlExecutor, mark: number): Promise<boolean> {
    await this.holdOffErasures(tx);
    await this.catchUp(tx);
    return (this.seen ?? 0) > mark;
  }

  /**
   * Applies erasures other processes made to this process's keys: before a read that
   * decodes events for a client (history, `as_of`), so it is exact without waiting out the
   * key cache's TTL.
   */
  async catchUp(tx: SqlExecutor = this.db): Promise<void> {
    const after = await this.mark();
    const rows = await tx.all<{ generation: string | number; subject_id: string }>(
      'SELECT generation, subject_id FROM erasures WHERE generation > $1 ORDER BY generation',
      [after],
    );
    for (const row of rows) {
      this.keys.markDestroyed(row.subject_id);
      this.seen = Math.max(this.seen ?? 0, Number(row.generation));
    }
  }

  /** First statement of an erasure's transaction: waits for the batches in flight, keeps new ones out. */
  async enterErasure(tx: SqlExecutor): Promise<void> {
    if (this.db.dialect === 'postgres') await tx.run('LOCK TABLE erasures IN EXCLUSIVE MODE');
  }

  /** Numbers the erasure of `subjectId`, in the erasure's transaction (after enterErasure). */
  async record(tx: SqlExecutor, subjectId: string, now = Date.now()): Promise<void> {
    const generation = (await this.latest(tx)) + 1;
    await tx.run('INSERT INTO erasures (generation, subject_id, erased_at) VALUES ($1, $2, $3)', [generation, subjectId, now]);
  }

  private async latest(tx: SqlExecutor): Promise<number> {
    const row = await tx.get<{ generation: string | number | null }>('SELECT MAX(generation) AS generation FROM erasures');
    return Number(row?.generation ?? 0);
  }
}
