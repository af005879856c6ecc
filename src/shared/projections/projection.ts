import { Envelope } from '../event-store/event-codec';

export interface ProjectionColumn<Doc> {
  type: 'TEXT' | 'BIGINT' | 'INTEGER';
  value: (doc: Doc) => string | number | boolean | null;
}

/** A row a projection adds beside the one it evolves (see `emit`). */
export interface EmittedRow<Doc> {
  id: string;
  doc: Doc;
}

/**
 * A read model as data plus one pure function: `evolve(doc | null, event) → doc | null`
 * (null deletes the row). The runner owns loading, batching, transactions and checkpoints,
 * so a projection cannot forget to commit its checkpoint with its rows.
 *
 * Rows live in `table` as (id, declared columns…, doc JSON); columns exist for filtering
 * and ordering, the doc is what queries return.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are opaque to the runner
export interface Projection<Doc = any> {
  readonly name: string;
  readonly table: string;
  /** Only events of streams with these prefixes reach evolve. */
  readonly streamPrefixes: string[];
  readonly columns: Record<string, ProjectionColumn<Doc>>;
  /** Extra DDL run after the table exists (indexes); `{table}` is replaced by the table name. */
  readonly indexes: string[];
  /** Which row an event touches; null when the event is of no interest. */
  rowId(event: Envelope): string | null;
  evolve(doc: Doc | null, event: Envelope): Doc | null;
  /**
   * Optional: rows the event adds besides the one it evolved, given that row before and
   * after it. An append-only log (one row per event) needs the running state of the thing
   * the event is about; evolve keeps that state in its own row, emit writes the log row.
   * Pure like evolve; emitted rows are written in the same transaction and never re-read.
   */
  emit?(before: Doc | null, after: Doc | null, event: Envelope): EmittedRow<Doc>[];
  /**
   * SPEC §8: set on read models that copy personal data. Each of their rows must derive only
   * from the streams of one data subject (a customer's own stream and its rentals'), so that
   * an erasure can recompute exactly those rows from the crypto-shredded log, as a rebuild
   * would (shared/erasure/subject-erasure.ts).
   */
  readonly personalData?: boolean;
}

export function projectionTableDdl(projection: Projection, table = projection.table): string {
  return `${projectionTableOnlyDdl(projection, table)};\n${projectionIndexDdl(projection, table).join(';\n')}`;
}

/** The table without secondary indexes: a rebuild loads rows faster and indexes once at the swap. */
export function projectionTableOnlyDdl(projection: Projection, table = projection.table): string {
  const cols = Object.entries(projection.columns)
    .map(([name, col]) => `${name} ${col.type}`)
    .join(', ');
  return `CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, ${cols}, doc TEXT NOT NULL)`;
}

export function projectionIndexDdl(projection: Projection, table = projection.table): string[] {
  return projection.indexes.map((sql) => sql.split('{table}').join(table));
}

export const matchesProjection = (projection: Projection, event: { streamName: string }) =>
  projection.streamPrefixes.some((prefix) => event.streamName.startsWith(prefix));
