import { Inject, Injectable } from '@nestjs/common';
import { CheckpointStore } from '../shared/projections/checkpoint.store';
import { READ_DB, ReadDb, SqlExecutor } from '../shared/read-db/read-db.port';

/** One public event (SPEC §7) as webhooks route it. */
export interface PublicEvent {
  id: string;
  accountId: string;
  livemode: boolean;
  type: string;
  resourceId: string;
  /** data.object.version: lets receivers spot gaps (SPEC §9). */
  resourceVersion: number | null;
  /** Global log position, 40-digit zero-padded text: sorts as it compares. */
  seq: string;
  createdAt: number;
}

interface EventLogRow {
  id: string;
  account_id: string;
  livemode: number;
  type: string;
  resource_id: string;
  seq: string;
  created_at: string;
  doc: string;
}

/** The events read model (src/events): its table, and the checkpoint its rows commit with. */
const TABLE = 'rm_events';
const CHECKPOINT = 'events';
const SEQ_INDEX = `${TABLE}_webhooks_seq`;
const COLUMNS = 'id, account_id, livemode, type, resource_id, seq, created_at, doc';
export const seqText = (position: bigint) => position.toString().padStart(40, '0');

/**
 * Webhooks' one window onto the events read model, kept by the projection runner in log
 * order. Its table also holds per-resource state rows; only event rows have a `seq`, so
 * every query here filters on it. Everything webhooks assume about that table is here.
 */
@Injectable()
export class PublicEventLog {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly checkpoints: CheckpointStore,
  ) {}

  /**
   * How far the events read model has applied the log. Its rows and this checkpoint commit
   * in one transaction, so every event row at or below it is visible once this is read.
   */
  appliedUpTo(): Promise<bigint> {
    return this.checkpoints.load(CHECKPOINT);
  }

  /**
   * The fan-out pages by global position across all accounts, which the table's own indexes
   * (account-first) cannot serve; without this one every batch would scan the table. A
   * rebuild swaps in a new table without it, so callers re-check now and then; the catalog
   * read keeps that cheap (CREATE INDEX IF NOT EXISTS would lock the table on PostgreSQL).
   */
  async ensureSeqIndex(): Promise<void> {
    const catalog =
      this.db.dialect === 'postgres'
        ? 'SELECT 1 AS found FROM pg_indexes WHERE tablename = $1 AND indexname = $2'
        : "SELECT 1 AS found FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND name = $2";
    if (await this.db.get(catalog, [TABLE, SEQ_INDEX])) return;
    await this.db.exec(`CREATE INDEX IF NOT EXISTS ${SEQ_INDEX} ON ${TABLE} (seq)`);
  }

  /** Event rows in (after, upTo], in log order; read inside the fan-out's transaction. */
  async between(tx: SqlExecutor, after: bigint, upTo: bigint, limit: number): Promise<PublicEvent[]> {
    const rows = await tx.all<EventLogRow>(
      `SELECT ${COLUMNS} FROM ${TABLE} WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
      [seqText(after), seqText(upTo), limit],
    );
    return rows.map(toPublicEvent);
  }

  /** The account's events created in [since, until), oldest first (replay). */
  async createdBetween(accountId: string, livemode: boolean, since: Date, until: Date): Promise<PublicEvent[]> {
    // created_at is ISO text from toISOString(): text order is time order.
    const rows = await this.db.all<EventLogRow>(
      `SELECT ${COLUMNS} FROM ${TABLE}
       WHERE account_id = $1 AND livemode = $2 AND seq IS NOT NULL AND created_at >= $3 AND created_at < $4 ORDER BY seq`,
      [accountId, livemode ? 1 : 0, since.toISOString(), until.toISOString()],
    );
    return rows.map(toPublicEvent);
  }

  /** The event object's JSON exactly as GET /v1/events/{id} serves it; null when absent. */
  async document(id: string): Promise<string | null> {
    const row = await this.db.get<{ doc: string }>(`SELECT doc FROM ${TABLE} WHERE id = $1 AND seq IS NOT NULL`, [id]);
    return row ? JSON.stringify((JSON.parse(row.doc) as { event: unknown }).event) : null;
  }
}

function toPublicEvent(row: EventLogRow): PublicEvent {
  const { event } = JSON.parse(row.doc) as { event: { data: { object: { version?: unknown } } } };
  const version = event.data.object.version;
  return {
    id: row.id,
    accountId: row.account_id,
    livemode: row.livemode === 1,
    type: row.type,
    resourceId: row.resource_id,
    resourceVersion: typeof version === 'number' ? version : null,
    seq: row.seq,
    createdAt: Date.parse(row.created_at),
  };
}
