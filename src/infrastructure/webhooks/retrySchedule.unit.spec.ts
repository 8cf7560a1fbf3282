import {
  DEFAULT_RETRY_SCHEDULE,
  nextAttempt,
  parseRetryAfter,
  parseRetrySchedule,
} from './retrySchedule';

describe('retry schedule', () => {
  const schedule = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE) as readonly number[];

  it('is the Standard Webhooks example by default', () =>
    expect(schedule).toEqual([
      0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000,
      86_400_000,
    ]));

  it('reads milliseconds, seconds, minutes, hours and days, and refuses anything else', () => {
    expect(parseRetrySchedule('0, 50ms,1s ,2m,3h,1d')).toEqual([
      0, 50, 1_000, 120_000, 10_800_000, 86_400_000,
    ]);
    expect(parseRetrySchedule('5 minutes')).toBeNull();
    expect(parseRetrySchedule('')).toBeNull();
    expect(parseRetrySchedule('1s,-2s')).toBeNull();
  });

  it('walks the schedule with jitter of at most a fifth, then gives up', () => {
    expect(nextAttempt(schedule, 0, null, () => 0)).toEqual({ step: 1, delayMs: 4_000 });
    expect(nextAttempt(schedule, 0, null, () => 1)).toEqual({ step: 1, delayMs: 6_000 });
    expect(nextAttempt(schedule, 3, null, () => 0.5)).toEqual({ step: 4, delayMs: 7_200_000 });
    expect(nextAttempt(schedule, 9, null)).toBeNull();
  });

  it('honours a longer Retry-After, up to a day', () => {
    expect(nextAttempt(schedule, 0, 60_000, () => 0.5)).toEqual({ step: 1, delayMs: 60_000 });
    expect(nextAttempt(schedule, 0, 1_000, () => 0.5)).toEqual({ step: 1, delayMs: 5_000 });
    expect(nextAttempt(schedule, 0, 10 * 86_400_000, () => 0.5)?.delayMs).toBe(86_400_000);
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    const now = new Date('2026-01-01T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});
