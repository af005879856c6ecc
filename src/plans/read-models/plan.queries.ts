import { Inject, Injectable } from '@nestjs/common';
import { InvalidRequestError } from '../../shared/errors/api-error';
import { Page, pageOf } from '../../shared/http/list-page';
import { READ_DB, ReadDb } from '../../shared/read-db/read-db.port';
import { PlanResource } from '../plan.resource';
import { PlanRow } from './plan-list.projection';

export interface PlanPageRequest {
  limit: number;
  starting_after?: string;
  ending_before?: string;
}

/** Reads of the plan read model; every query is scoped to one account and mode. */
@Injectable()
export class PlanQueries {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  async findById(accountId: string, livemode: boolean, id: string): Promise<PlanResource | null> {
    const row = await this.db.get<{ doc: string }>('SELECT doc FROM rm_plans WHERE id = $1 AND account_id = $2 AND livemode = $3', [
      id,
      accountId,
      livemode ? 1 : 0,
    ]);
    return row ? (JSON.parse(row.doc) as PlanRow).plan : null;
  }

  async list(accountId: string, livemode: boolean, page: PlanPageRequest): Promise<Page<PlanResource>> {
    const where = ['account_id = $1', 'livemode = $2'];
    const params: unknown[] = [accountId, livemode ? 1 : 0];
    const cursorId = page.starting_after ?? page.ending_before;
    const backwards = page.ending_before !== undefined;
    if (cursorId !== undefined) {
      const cursor = await this.db.get<{ seq: string }>('SELECT seq FROM rm_plans WHERE id = $1 AND account_id = $2 AND livemode = $3', [
        cursorId,
        accountId,
        livemode ? 1 : 0,
      ]);
      const param = backwards ? 'ending_before' : 'starting_after';
      if (!cursor) throw new InvalidRequestError(`No such plan: '${cursorId}'`, param, 'resource_missing');
      params.push(cursor.seq);
      where.push(`seq ${backwards ? '>' : '<'} $${params.length}`);
    }
    params.push(page.limit + 1);
    const rows = await this.db.all<{ doc: string }>(
      `SELECT doc FROM rm_plans WHERE ${where.join(' AND ')} ORDER BY seq ${backwards ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
      params,
    );
    return pageOf(
      rows.map((r) => (JSON.parse(r.doc) as PlanRow).plan),
      page.limit,
      backwards,
    );
  }
}
