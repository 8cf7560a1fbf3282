import type { Outcome } from './deliveryQueue';
import { nextAttempt, parseRetryAfter } from './retrySchedule';
import type { AttemptResult } from './sendWebhook';

/**
 * What an attempt means: any 2xx is delivered (a 3xx is not: redirects are not followed),
 * 410 Gone stops the subscription, anything else is retried on the schedule and finally
 * dead-lettered.
 */
export const classifyAttempt = (
  result: AttemptResult,
  step: number,
  schedule: readonly number[],
  now: Date,
  random: () => number = Math.random,
): Outcome => {
  const status = result.statusCode;
  if (status !== null && status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone' };
  const next = nextAttempt(schedule, step, parseRetryAfter(result.retryAfter, now), random);
  return next === null ? { kind: 'failed' } : { kind: 'retry', ...next };
};
