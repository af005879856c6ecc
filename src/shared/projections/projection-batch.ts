import { EventCodecs, Envelope } from '../event-store/event-codec';
import { RecordedEvent } from '../event-store/event-store.port';
import { SqlExecutor } from '../read-db/read-db.port';
import { CheckpointStore } from './checkpoint.store';
import { matchesProjection, Projection } from './projection';

/** Where a batch goes: the live table and checkpoint, or a rebuild's side table and its own. */
export interface ProjectionTarget {
  table: string;
  checkpoint: string;
}

export const liveTarget = (projection: Projection): ProjectionTarget => ({
  table: projection.table,
  checkpoint: projection.name,
});

/** A rebuild writes beside the live table, under its own checkpoint, until the swap. */
export const rebuildTarget = (projection: Projection): ProjectionTarget => ({
  table: `${projection.table}__rebuild`,
  checkpoint: `${projection.name}:rebuild`,
});

/** Decodes (decrypts, upcasts) only the events some projection reads: the rest cost nothing. */
export function decodeFor(codecs: EventCodecs, projections: Projection[], recorded: RecordedEvent[]): Promise<Envelope[]> {
  const wanted = recorded.filter((e) => projections.some((p) => matchesProjection(p, e)));
  return Promise.all(wanted.map((e) => codecs.decode(e)));
}

/**
 * Applies the events after `from` to one projection's rows in `target.table` and moves its
 * checkpoint from `from` to `to` (compare-and-set), all inside the caller's transaction:
 * rows and checkpoint commit together or not at all. Shared by the live runner and rebuilds,
 * so a rebuilt table is built by exactly the code that keeps the live one.
 */
export async function applyBatch(
  tx: SqlExecutor,
  checkpoints: CheckpointStore,
  projection: Projection,
  target: ProjectionTarget,
  events: Envelope[],
  from: bigint,
  to: bigint,
): Promise<void> {
  const relevant = events.filter((e) => e.position > from && matchesProjection(projection, e));
  const touched = new Map<string, unknown>();
  const ids = [...new Set(relevant.map((e) => projection.rowId(e)).filter((id): id is string => id !== null))];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await tx.all<{ id: string; doc: string }>(
      `SELECT id, doc FROM ${target.table} WHERE id IN (${chunk.map((_, j) => `$${j + 1}`).join(', ')})`,
      chunk,
    );
    for (const id of chunk) touched.set(id, null);
    for (const row of rows) touched.set(row.id, JSON.parse(row.doc));
  }
  for (const event of relevant) {
    const id = projection.rowId(event);
    if (id === null) continue;
    const before = touched.get(id) ?? null;
    const after = projection.evolve(before, event);
    touched.set(id, after);
    for (const row of projection.emit?.(before, after, event) ?? []) touched.set(row.id, row.doc);
  }
  await writeRows(tx, projection, target.table, touched);
  await checkpoints.advance(tx, target.checkpoint, from, to);
}

async function writeRows(tx: SqlExecutor, projection: Projection, table: string, rows: Map<string, unknown>) {
  const names = Object.keys(projection.columns);
  const upsert =
    `INSERT INTO ${table} (id, ${names.join(', ')}, doc) ` +
    `VALUES (${['id', ...names, 'doc'].map((_, i) => `$${i + 1}`).join(', ')}) ` +
    `ON CONFLICT (id) DO UPDATE SET ${[...names, 'doc'].map((n) => `${n} = excluded.${n}`).join(', ')}`;
  for (const [id, doc] of rows) {
    if (doc === null) {
      await tx.run(`DELETE FROM ${table} WHERE id = $1`, [id]);
    } else {
      const values = names.map((n) => projection.columns[n].value(doc as never));
      await tx.run(upsert, [id, ...values, JSON.stringify(doc)]);
    }
  }
}
