import { Inject, Injectable } from '@nestjs/common';
import { READ_DB, ReadDb, SqlExecutor } from '../read-db/read-db.port';

export class CheckpointConflictError extends Error {
  constructor(name: string) {
    super(`checkpoint of ${name} was advanced by another runner`);
  }
}

/**
 * Checkpoints are stored compare-and-set against the position the runner started from, so
 * two runners (two processes on one database) can never both advance one projection: the
 * loser's transaction fails and its rows roll back with it. Positions are decimal text so
 * EventStoreDB's packed 128-bit positions fit.
 */
@Injectable()
export class CheckpointStore {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  /** The stored position, 0n when there is none; read inside `tx` when one is given. */
  async load(name: string, tx: SqlExecutor = this.db): Promise<bigint> {
    return (await this.find(name, tx)) ?? 0n;
  }

  /**
   * The stored position, read inside `tx` with the row locked until it ends (PostgreSQL;
   * SQLite's write transaction already excludes every other writer). A runner transaction
   * that has moved the checkpoint but not yet committed is waited for, so the caller reads
   * its result and no runner can move the checkpoint again before the caller commits.
   */
  async loadLocked(tx: SqlExecutor, name: string): Promise<bigint> {
    return (await this.find(name, tx, true)) ?? 0n;
  }

  /** The stored position, or null when the checkpoint does not exist. */
  async find(name: string, tx: SqlExecutor = this.db, forUpdate = false): Promise<bigint | null> {
    const lock = forUpdate && this.db.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const row = await tx.get<{ position: string }>(`SELECT position FROM checkpoints WHERE name = $1${lock}`, [name]);
    return row ? BigInt(row.position) : null;
  }

  /** Creates a checkpoint at 0; a UniqueViolationError when it already exists. */
  async create(tx: SqlExecutor, name: string): Promise<void> {
    await tx.run('INSERT INTO checkpoints (name, position, updated_at) VALUES ($1, $2, $3)', [name, '0', Date.now()]);
  }

  async remove(tx: SqlExecutor, name: string): Promise<void> {
    await tx.run('DELETE FROM checkpoints WHERE name = $1', [name]);
  }

  async all(): Promise<Array<{ name: string; position: bigint; updatedAt: Date }>> {
    const rows = await this.db.all<{ name: string; position: string; updated_at: number }>(
      'SELECT name, position, updated_at FROM checkpoints ORDER BY name',
    );
    return rows.map((r) => ({ name: r.name, position: BigInt(r.position), updatedAt: new Date(r.updated_at) }));
  }

  async advance(tx: SqlExecutor, name: string, from: bigint, to: bigint): Promise<void> {
    if (from === to) return;
    // A checkpoint only moves forward: going back would apply its events a second time.
    if (to < from) throw new Error(`checkpoint of ${name} cannot move back from ${from} to ${to}`);
    const now = Date.now();
    const { changes } =
      from === 0n
        ? await tx.run(
            `INSERT INTO checkpoints (name, position, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
             WHERE checkpoints.position = '0'`,
            [name, to.toString(), now],
          )
        : await tx.run('UPDATE checkpoints SET position = $1, updated_at = $2 WHERE name = $3 AND position = $4', [
            to.toString(),
            now,
            name,
            from.toString(),
          ]);
    if (changes !== 1) throw new CheckpointConflictError(name);
  }
}
