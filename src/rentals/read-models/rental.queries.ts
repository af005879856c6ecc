import { Inject, Injectable } from '@nestjs/common';
import { InvalidRequestError } from '../../shared/errors/api-error';
import { Page, pageOf } from '../../shared/http/list-page';
import { READ_DB, ReadDb } from '../../shared/read-db/read-db.port';
import { RentalResource, toRentalResource } from '../rental.resource';
import { RentalRow } from './rental-list.projection';

/** Column filters; `customer_id` is the list's `customer` parameter. */
export interface RentalFilters {
  status?: string;
  customer_id?: string;
  vehicle_id?: string;
  booking_id?: string;
}

export interface PageRequest {
  limit: number;
  starting_after?: string;
  ending_before?: string;
}

const toResource = (doc: string) => {
  const row = JSON.parse(doc) as RentalRow;
  return toRentalResource(row.rental, row.version);
};

/** Reads of the rental read model; every query is scoped to one account and mode. */
@Injectable()
export class RentalQueries {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  async findById(accountId: string, livemode: boolean, id: string): Promise<RentalResource | null> {
    const row = await this.db.get<{ doc: string }>(
      'SELECT doc FROM rm_rentals WHERE id = $1 AND account_id = $2 AND livemode = $3',
      [id, accountId, livemode ? 1 : 0],
    );
    return row ? toResource(row.doc) : null;
  }

  async list(accountId: string, livemode: boolean, filters: RentalFilters, page: PageRequest): Promise<Page<RentalResource>> {
    const where = ['account_id = $1', 'livemode = $2'];
    const params: unknown[] = [accountId, livemode ? 1 : 0];
    for (const [column, value] of Object.entries(filters)) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    const cursorId = page.starting_after ?? page.ending_before;
    const backwards = page.ending_before !== undefined;
    if (cursorId !== undefined) {
      const cursor = await this.db.get<{ seq: string }>(
        'SELECT seq FROM rm_rentals WHERE id = $1 AND account_id = $2 AND livemode = $3',
        [cursorId, accountId, livemode ? 1 : 0],
      );
      const param = backwards ? 'ending_before' : 'starting_after';
      if (!cursor) throw new InvalidRequestError(`No such rental: '${cursorId}'`, param, 'resource_missing');
      params.push(cursor.seq);
      where.push(`seq ${backwards ? '>' : '<'} $${params.length}`);
    }
    params.push(page.limit + 1);
    const rows = await this.db.all<{ doc: string }>(
      `SELECT doc FROM rm_rentals WHERE ${where.join(' AND ')} ORDER BY seq ${backwards ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
      params,
    );
    return pageOf(rows.map((r) => toResource(r.doc)), page.limit, backwards);
  }
}
