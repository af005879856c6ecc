import { PERIOD_MS, currentPeriodFields, quotaPeriodAt } from './quota-period';

const anchor = '2026-01-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(anchor) + ms);

describe('quota period', () => {
  it('is the first 30 days right after it starts', () => {
    expect(quotaPeriodAt(anchor, at(0))).toEqual({ period_start: anchor, period_end: '2026-01-31T12:00:00.000Z' });
    expect(quotaPeriodAt(anchor, at(PERIOD_MS - 1)).period_start).toBe(anchor);
  });

  it('rolls forward by itself at the end of each window', () => {
    expect(quotaPeriodAt(anchor, at(PERIOD_MS))).toEqual({
      period_start: '2026-01-31T12:00:00.000Z',
      period_end: '2026-03-02T12:00:00.000Z',
    });
    expect(quotaPeriodAt(anchor, at(10 * PERIOD_MS + 5)).period_start).toBe(new Date(Date.parse(anchor) + 10 * PERIOD_MS).toISOString());
  });

  it('gives the same window counted from any window start of the series', () => {
    const later = quotaPeriodAt(anchor, at(3 * PERIOD_MS)).period_start;
    expect(quotaPeriodAt(later, at(5 * PERIOD_MS + 7))).toEqual(quotaPeriodAt(anchor, at(5 * PERIOD_MS + 7)));
  });

  it('puts a moment before the start into the first window, never an earlier one', () => {
    expect(quotaPeriodAt(anchor, at(-5000)).period_start).toBe(anchor);
  });

  it('has no period without a start (no plan)', () => {
    expect(currentPeriodFields(null, at(0))).toEqual({ period_start: null, period_end: null });
  });
});
