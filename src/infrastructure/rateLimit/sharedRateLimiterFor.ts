import type { ParleyDeps, Worker } from '../parleyDeps';
import { postgresBucketLeases } from './postgresBucketLeases';
import { SharedRateLimiter } from './sharedRateLimiter';

/** The process's limiter on the shared buckets in PostgreSQL (RATE_LIMIT_*). */
export const sharedRateLimiterFor = (deps: ParleyDeps): SharedRateLimiter =>
  new SharedRateLimiter({
    ...deps.config.rateLimit,
    leases: postgresBucketLeases(deps.pool),
    logger: deps.logger.child({ module: 'rate-limit' }),
  });

/** Gives idle keys' leases back while running, and all of them when stopping. */
export const rateLimitWorker = (limiter: SharedRateLimiter): Worker => ({
  name: 'rate-limit-leases',
  start: () => Promise.resolve(limiter.start()),
  stop: () => limiter.stop(),
});
