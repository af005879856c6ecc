/**
 * Rental dates are calendar days (`YYYY-MM-DD`) with no time zone: they are compared as
 * strings (the format sorts chronologically) and counted in UTC days, so no clock or zone
 * can shift a booking by one day.
 */
export interface DateRange {
  start_date: string;
  end_date: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A real calendar date: `2026-02-30` and `2026-13-01` are not. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 02-30 over to 03-02; a real date survives the round trip unchanged.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** SPEC §4 `rental_days`: the number of nights between pickup and return. */
export function nightsBetween(range: DateRange): number {
  return Math.round((Date.parse(range.end_date) - Date.parse(range.start_date)) / DAY_MS);
}

/**
 * Two bookings overlap when they share at least one calendar day, the return day included:
 * a vehicle returned on the 5th is not handed to the next renter on the 5th. This is the
 * conservative reading of SPEC §4 ("date ranges overlap"); it can refuse a same-day
 * turnaround but never allows two renters one vehicle on one day.
 */
export function overlaps(a: DateRange, b: DateRange): boolean {
  return a.start_date <= b.end_date && b.start_date <= a.end_date;
}

export function sameRange(a: DateRange | null, b: DateRange | null): boolean {
  if (a === null || b === null) return a === b;
  return a.start_date === b.start_date && a.end_date === b.end_date;
}
