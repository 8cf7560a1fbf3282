import type { Outcome } from './deliveryQueue';
import type { AttemptResult } from './sendWebhook';

/**
 * When to try a delivery again. The Standard Webhooks example schedule, about three days:
 * now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h; then the delivery is dead-lettered.
 */
export const DEFAULT_RETRY_SCHEDULE = '0,5s,5m,30m,2h,5h,10h,14h,20h,24h';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `0,5s,5m,2h` → delays in milliseconds; null when malformed. */
export const parseRetrySchedule = (text: string): readonly number[] | null => {
  const steps = text.split(',').map((s) => s.trim());
  const delays: number[] = [];
  for (const step of steps) {
    const match = /^(\d+)(ms|s|m|h|d)?$/.exec(step);
    if (match === null) return null;
    delays.push(Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] as number));
  }
  return delays.length > 0 && delays.length <= 100 ? delays : null;
};

/** Retry-After is honoured, up to a day: a longer one is an endpoint that should be fixed. */
const MAX_RETRY_AFTER_MS = 86_400_000;

export type NextAttempt = Readonly<{ step: number; delayMs: number }> | null;

/**
 * After the attempt at `step` failed: the next step and its delay, or null when the schedule is
 * spent (dead letter). Delays get ±20 % jitter so that a recovering endpoint is not hit by a
 * synchronised wave; a Retry-After longer than the delay wins.
 */
export const nextAttempt = (
  schedule: readonly number[],
  step: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): NextAttempt => {
  const next = step + 1;
  const base = schedule[next];
  if (base === undefined) return null;
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  const asked = retryAfterMs === null ? 0 : Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  return { step: next, delayMs: Math.max(jittered, asked) };
};

/** `Retry-After: 120` or an HTTP date, in milliseconds from `now`; null when absent or unreadable. */
export const parseRetryAfter = (value: string | undefined, now: Date): number | null => {
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1_000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
};

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
