import { Injectable } from '@nestjs/common';
import { Envelope } from '../../shared/event-store/event-codec';
import { Projection } from '../../shared/projections/projection';
import { USAGE_STREAM_PREFIX, UsageEvent } from '../usage.events';

/** Units used in one period, and the quota they were last measured against. */
export interface UsageBucket {
  period_start: string;
  period_end: string;
  used: number;
  limit: number | null;
}

/** One row per customer: its periods with usage, newest first. */
export interface UsageRow {
  customer_id: string;
  account_id: string;
  livemode: boolean;
  periods: UsageBucket[];
}

/** SPEC §6 keeps the last 24 periods; one more, because the current one may be empty yet. */
export const PERIODS_KEPT = 25;

/**
 * The usage read model: each customer's ledger folded into per-period sums. It answers
 * GET /v1/customers/{id}/usage and nothing else; quota decisions never read it (they are
 * made on the ledger stream itself, quota-ledger.ts). The first event of every ledger is a
 * QuotaTermsChanged (the decider copies the terms before anything else), so the row exists,
 * with its account, before any usage reaches it.
 */
@Injectable()
export class UsageProjection implements Projection<UsageRow> {
  readonly name = 'customer_usage';
  readonly table = 'rm_customer_usage';
  readonly streamPrefixes = [USAGE_STREAM_PREFIX];
  readonly columns: Projection<UsageRow>['columns'] = {
    account_id: { type: 'TEXT', value: (r) => r.account_id },
    livemode: { type: 'INTEGER', value: (r) => (r.livemode ? 1 : 0) },
  };
  readonly indexes: string[] = [];

  rowId(event: Envelope): string | null {
    return event.streamName.slice(USAGE_STREAM_PREFIX.length);
  }

  evolve(row: UsageRow | null, envelope: Envelope): UsageRow | null {
    const event = envelope as Envelope<UsageEvent>;
    switch (event.type) {
      case 'QuotaTermsChanged': {
        const { customer_id, account_id, livemode } = event.data;
        return row ?? { customer_id, account_id, livemode, periods: [] };
      }
      case 'UsageRecorded': {
        if (!row) return row;
        const { period_start, period_end, quantity, limit } = event.data;
        const [newest, ...older] = row.periods;
        const periods =
          newest?.period_start === period_start
            ? [{ ...newest, used: newest.used + quantity, limit }, ...older]
            : [{ period_start, period_end, used: quantity, limit }, ...row.periods];
        return { ...row, periods: periods.slice(0, PERIODS_KEPT) };
      }
      case 'UsageReleased': {
        if (!row) return row;
        const { period_start, quantity } = event.data;
        return {
          ...row,
          periods: row.periods.map((p) => (p.period_start === period_start ? { ...p, used: p.used - quantity } : p)),
        };
      }
      default: {
        const unknown: never = event;
        void unknown;
        return row;
      }
    }
  }
}
