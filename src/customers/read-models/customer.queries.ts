import { Inject, Injectable } from '@nestjs/common';
import { InvalidRequestError } from '../../shared/errors/api-error';
import { Page, pageOf } from '../../shared/http/list-page';
import { READ_DB, ReadDb } from '../../shared/read-db/read-db.port';
import { currentPeriodFields } from '../../usage/quota-period';
import { CustomerResource } from '../customer.resource';
import { CustomerRow } from './customer-list.projection';

export interface CustomerFilters {
  email?: string;
  external_id?: string;
  status?: string;
  archived?: boolean;
  plan_id?: string;
}

export interface PageRequest {
  limit: number;
  starting_after?: string;
  ending_before?: string;
}

/** Reads of the customer read model; every query is scoped to one account and mode. */
@Injectable()
export class CustomerQueries {
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

  async findById(accountId: string, livemode: boolean, id: string): Promise<CustomerResource | null> {
    const row = await this.db.get<{ doc: string }>(
      'SELECT doc FROM rm_customers WHERE id = $1 AND account_id = $2 AND livemode = $3',
      [id, accountId, livemode ? 1 : 0],
    );
    return row ? current((JSON.parse(row.doc) as CustomerRow).customer) : null;
  }

  async list(accountId: string, livemode: boolean, filters: CustomerFilters, page: PageRequest): Promise<Page<CustomerResource>> {
    const where = ['account_id = $1', 'livemode = $2'];
    const params: unknown[] = [accountId, livemode ? 1 : 0];
    for (const [column, value] of Object.entries(filters)) {
      if (value === undefined) continue;
      params.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
      where.push(`${column} = $${params.length}`);
    }
    const cursorId = page.starting_after ?? page.ending_before;
    const backwards = page.ending_before !== undefined;
    if (cursorId !== undefined) {
      const cursor = await this.db.get<{ seq: string }>(
        'SELECT seq FROM rm_customers WHERE id = $1 AND account_id = $2 AND livemode = $3',
        [cursorId, accountId, livemode ? 1 : 0],
      );
      const param = backwards ? 'ending_before' : 'starting_after';
      if (!cursor) throw new InvalidRequestError(`No such customer: '${cursorId}'`, param, 'resource_missing');
      params.push(cursor.seq);
      where.push(`seq ${backwards ? '>' : '<'} $${params.length}`);
    }
    params.push(page.limit + 1);
    const rows = await this.db.all<{ doc: string }>(
      `SELECT doc FROM rm_customers WHERE ${where.join(' AND ')} ORDER BY seq ${backwards ? 'ASC' : 'DESC'} LIMIT $${params.length}`,
      params,
    );
    return pageOf(
      rows.map((r) => current((JSON.parse(r.doc) as CustomerRow).customer)),
      page.limit,
      backwards,
    );
  }
}

/**
 * SPEC §6: periods roll forward on their own. The row keeps a window of the series; the
 * period shown is the one containing the time of the read, so no job has to touch rows.
 */
function current(customer: CustomerResource): CustomerResource {
  return customer.period_start ? { ...customer, ...currentPeriodFields(customer.period_start, new Date()) } : customer;
}
