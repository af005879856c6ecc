import { Inject, Injectable } from '@nestjs/common';
import { InvalidRequestError } from '../../shared/errors/api-error';
import { Page, pageOf } from '../../shared/http/list-page';
import { READ_DB, ReadDb } from '../../shared/read-db/read-db.port';
import { PublicEvent } from '../public-event';
import { EventRow } from './event-log.projection';

export interface EventFilters {
  type?: string;
  resource_id?: string;
  /** ISO timestamps (normalised to `toISOString()`, so text comparison is time order). */
  created_gte?: string;
  created_lt?: string;
}

export interface EventPageRequest {
  limit: number;
  starting_after?: string;
  ending_before?: string;
}

const FILTER_SQL: Record<keyof EventFilters, string> = {
  type: 'type = ',
  resource_id: 'resource_id = ',
  created_gte: 'created_at >= ',
  created_lt: 'created_at < ',
};

/** Reads of the event log; every query is scoped to one account and mode (SPEC §2). */
@Injectable()
export class EventQueries {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  async findById(accountId: string, livemode: boolean, id: string): Promise<PublicEvent | null> {
    const row = await this.db.get<{ doc: string }>(
      'SELECT doc FROM rm_events WHERE id = $1 AND account_id = $2 AND livemode = $3',
      [id, accountId, livemode ? 1 : 0],
    );
    return row ? (JSON.parse(row.doc) as EventRow).event : null;
  }

  async list(accountId: string, livemode: boolean, filters: EventFilters, page: EventPageRequest): Promise<Page<PublicEvent>> {
    const where = ['account_id = $1', 'livemode = $2'];
    const params: unknown[] = [accountId, livemode ? 1 : 0];
    for (const [name, value] of Object.entries(filters) as [keyof EventFilters, string | undefined][]) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${FILTER_SQL[name]}$${params.length}`);
    }
    const cursorId = page.starting_after ?? page.ending_before;
    const backwards = page.ending_before !== undefined;
    if (cursorId !== undefined) {
      const cursor = await this.db.get<{ seq: string }>(
        'SELECT seq FROM rm_events WHERE id = $1 AND account_id = $2 AND livemode = $3',
        [cursorId, accountId, livemode ? 1 : 0],
      );
      const param = backwards ? 'ending_before' : 'starting_after';
      if (!cursor) throw new InvalidRequestError(`No such event: '${cursorId}'`, param, 'resource_missing');
      params.push(cursor.seq);
      where.push(`seq ${backwards ? '>' : '<'} $${params.length}`);
    }
    params.push(page.limit + 1);
    const rows = await this.db.all<{ doc: string }>(
      `SELECT doc FROM rm_events WHERE ${where.join(' AND ')} ORDER BY seq ${backwards ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
      params,
    );
    return pageOf(
      rows.map((r) => (JSON.parse(r.doc) as EventRow).event),
      page.limit,
      backwards,
    );
  }
}
