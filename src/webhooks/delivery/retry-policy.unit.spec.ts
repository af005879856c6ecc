import { AttemptResult, decideAfterAttempt, failingTooLong, parseRetryAfter } from './retry-policy';

const NOW = Date.parse('2025-03-01T12:00:00.000Z');
const SCHEDULE = [5_000, 300_000, 1_800_000];
const answer = (statusCode: number | null, retryAfter: string | null = null): AttemptResult => ({
  statusCode,
  durationMs: 12,
  responseExcerpt: null,
  error: statusCode === null ? 'ECONNREFUSED' : null,
  retryAfter,
});

describe('decideAfterAttempt', () => {
  describe('when the receiver answers 2xx', () => {
    it.each([200, 201, 204, 299])('%i is a success', (status) => {
      expect(decideAfterAttempt(answer(status), 1, SCHEDULE, NOW)).toMatchObject({ outcome: 'succeeded', nextAttemptAt: null });
    });
  });

  describe('when the attempt fails', () => {
    it.each([[301], [302], [400], [404], [500], [null]])('%s is retried after the next slot of the schedule', (status) => {
      expect(decideAfterAttempt(answer(status), 1, SCHEDULE, NOW)).toEqual({
        outcome: 'retry', nextAttemptAt: NOW + 5_000, disableEndpoint: false, receiverAskedToWait: false,
      });
      expect(decideAfterAttempt(answer(status), 3, SCHEDULE, NOW).nextAttemptAt).toBe(NOW + 1_800_000);
    });

    it('fails for good once the schedule is used up', () => {
      expect(decideAfterAttempt(answer(500), 4, SCHEDULE, NOW)).toMatchObject({ outcome: 'failed', nextAttemptAt: null });
    });

    it('410 Gone fails at once and disables the endpoint', () => {
      expect(decideAfterAttempt(answer(410), 1, SCHEDULE, NOW)).toMatchObject({ outcome: 'failed', disableEndpoint: true });
    });
  });

  describe('when a 429 or 503 carries Retry-After', () => {
    it.each([429, 503])('%i waits as long as the receiver asked', (status) => {
      expect(decideAfterAttempt(answer(status, '120'), 1, SCHEDULE, NOW)).toEqual({
        outcome: 'retry', nextAttemptAt: NOW + 120_000, disableEndpoint: false, receiverAskedToWait: true,
      });
    });

    it('a 500 with Retry-After keeps to the schedule', () => {
      expect(decideAfterAttempt(answer(500, '120'), 1, SCHEDULE, NOW).nextAttemptAt).toBe(NOW + 5_000);
    });

    it('an unreadable Retry-After falls back to the schedule', () => {
      expect(decideAfterAttempt(answer(429, 'soon'), 1, SCHEDULE, NOW)).toMatchObject({ nextAttemptAt: NOW + 5_000, receiverAskedToWait: false });
    });

    it('does not extend the number of attempts', () => {
      expect(decideAfterAttempt(answer(429, '1'), 4, SCHEDULE, NOW).outcome).toBe('failed');
    });
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['delay-seconds', '30', 30_000],
    ['zero', '0', 0],
    ['an HTTP date', 'Sat, 01 Mar 2025 12:01:00 GMT', 60_000],
    ['an HTTP date in the past', 'Sat, 01 Mar 2025 11:00:00 GMT', 0],
    ['a value beyond a day, clamped', '999999999', 86_400_000],
  ])('reads %s', (_label, value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([[null], [''], ['-5'], ['1.5'], ['5 minutes'], ['2025-03-01 12:00']])('ignores %p', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeNull();
  });
});

describe('failingTooLong', () => {
  const DAY = 86_400_000;
  it('is true after 5 days of failures without a success, not before', () => {
    expect(failingTooLong(NOW - 5 * DAY, NOW)).toBe(true);
    expect(failingTooLong(NOW - 5 * DAY + 1, NOW)).toBe(false);
    expect(failingTooLong(null, NOW)).toBe(false);
  });
});
