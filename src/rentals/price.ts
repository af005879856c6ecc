/**
 * SPEC §4: `final_price` has at most 2 decimals and is kept exact. Events and read models
 * hold integer cents; responses turn them back into a JSON number. For integers below 2^53,
 * `cents / 100` is the double nearest the decimal and prints as exactly that decimal.
 */
export const MAX_PRICE_CENTS = 99_999_999_999;

/**
 * A JSON number is parsed to the nearest double, and `String()` prints the shortest text
 * that round-trips to it, so a price sent with at most 2 decimals (and no more than 15
 * significant digits) prints back as those same digits. Floating multiplication is never
 * involved, so 19.99 becomes 1999 cents, not 1998.9999999999998.
 */
const EXACT_PRICE = /^(\d+)(?:\.(\d{1,2}))?$/;

export function priceProblem(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'final_price must be a number.';
  if (value < 0) return 'final_price must be at least 0.';
  if (!EXACT_PRICE.test(String(value))) return 'final_price can have at most 2 decimal places.';
  if (toCents(value) > MAX_PRICE_CENTS) return `final_price must be at most ${MAX_PRICE_CENTS / 100}.`;
  return null;
}

/** Exact conversion of a validated price (see priceProblem) to integer cents. */
export function toCents(price: number): number {
  const match = EXACT_PRICE.exec(String(price));
  if (!match) throw new RangeError(`not an exact price: ${price}`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function fromCents(cents: number): number {
  return cents / 100;
}
