import type { Context } from 'koa';
import type { RateDecision, SharedRateLimiter } from '../../rateLimit/sharedRateLimiter';
import { HttpError } from '../httpError';

/**
 * The separate-fields form of draft-ietf-httpapi-ratelimit-headers-07: `RateLimit-Limit` (the
 * burst), `RateLimit-Remaining` (requests admitted now), `RateLimit-Reset` (seconds until the
 * bucket is full again), all plain integers.
 */
export const rateLimitHeaders = (decision: RateDecision): Record<string, string> => ({
  'RateLimit-Limit': String(decision.limit),
  'RateLimit-Remaining': String(decision.remaining),
  'RateLimit-Reset': String(decision.resetSeconds),
});

/**
 * Spends one of the key's tokens and sets the RateLimit-* headers, which stay on whatever the
 * request then answers (200 or an error); over the limit, throws 429 E_RATE_LIMITED with
 * Retry-After. Called after the token check: an unauthenticated caller learns nothing of a
 * channel's budget and spends none of it.
 */
export const enforceRateLimit = async (
  ctx: Context,
  limiter: SharedRateLimiter,
  key: string,
): Promise<void> => {
  const decision = await limiter.take(key);
  if (decision === null) return;
  const headers = rateLimitHeaders(decision);
  if (!decision.allowed) {
    throw new HttpError(
      'E_RATE_LIMITED',
      `too many requests for this channel; retry in ${decision.retryAfterSeconds} s`,
      undefined,
      { ...headers, 'Retry-After': String(decision.retryAfterSeconds) },
    );
  }
  ctx.set(headers);
};
