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
  foldInto(projection, touched, relevant);
  await writeRows(tx, projection, target.table, touched);
  await checkpoints.advance(tx, target.checkpoint, from, to);
}

/**
 * Recomputes from nothing the rows `events` touch and writes them over the ones in
 * `table`, checkpoint untouched. For a projection whose rows each derive from these events
 * alone (`personalData`), given every event up to its checkpoint: the rows a rebuild would
 * write. An erasure uses it to rewrite rows from the log after the key is gone.
 */
export async function refoldRows(tx: SqlExecutor, projection: Projection, table: string, events: Envelope[]): Promise<void> {
  const relevant = events.filter((e) => matchesProjection(projection, e));
  const rows = new Map<string, unknown>();
  for (const event of relevant) {
    const id = projection.rowId(event);
    if (id !== null) rows.set(id, null);
  }
  foldInto(projection, rows, relevant);
  await writeRows(tx, projection, table, rows);
}

/** evolve (and emit) each event into `rows`, in order; rows absent from the map start as null. */
function foldInto(projection: Projection, rows: Map<string, unknown>, events: Envelope[]): void {
  for (const event of events) {
    const id = projection.rowId(event);
    if (id === null) continue;
    const before = rows.get(id) ?? null;
    const after = projection.evolve(before, event);
    rows.set(id, after);
    for (const row of projection.emit?.(before, after, event) ?? []) rows.set(row.id, row.doc);
  }
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
