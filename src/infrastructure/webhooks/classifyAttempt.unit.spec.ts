import { classifyAttempt } from './retrySchedule';
import type { AttemptResult } from './sendWebhook';

const answer = (statusCode: number | null, retryAfter?: string): AttemptResult => ({
  statusCode,
  error: statusCode === null ? 'ECONNREFUSED' : null,
  latencyMs: 3,
  snippet: null,
  retryAfter,
});
const schedule = [0, 1_000, 2_000];
const now = new Date('2026-01-01T10:00:00Z');
const half = () => 0.5;

describe('classifying a delivery attempt', () => {
  it.each([200, 201, 202, 204, 299])('counts %i as delivered', (status) =>
    expect(classifyAttempt(answer(status), 0, schedule, now)).toEqual({ kind: 'delivered' }),
  );

  it.each([301, 302, 304, 307, 308, 400, 404, 429, 500, 503])('retries after %i', (status) =>
    expect(classifyAttempt(answer(status), 0, schedule, now, half)).toEqual({
      kind: 'retry',
      step: 1,
      delayMs: 1_000,
    }),
  );

  it('retries when no answer came', () =>
    expect(classifyAttempt(answer(null), 1, schedule, now, half)).toEqual({
      kind: 'retry',
      step: 2,
      delayMs: 2_000,
    }));

  it('honours Retry-After', () =>
    expect(classifyAttempt(answer(429, '30'), 0, schedule, now, half)).toEqual({
      kind: 'retry',
      step: 1,
      delayMs: 30_000,
    }));

  it('dead-letters when the schedule is spent', () =>
    expect(classifyAttempt(answer(500), 2, schedule, now)).toEqual({ kind: 'failed' }));

  it('stops on 410 Gone', () =>
    expect(classifyAttempt(answer(410), 0, schedule, now)).toEqual({ kind: 'gone' }));
});
