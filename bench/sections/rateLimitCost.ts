import { createPool } from '../../src/infrastructure/postgres/pool';
import type { BucketLeases } from '../../src/infrastructure/rateLimit/bucketLeases';
import { MemoryBucketLeases } from '../../src/infrastructure/rateLimit/memoryBucketLeases';
import { postgresBucketLeases } from '../../src/infrastructure/rateLimit/postgresBucketLeases';
import { SharedRateLimiter } from '../../src/infrastructure/rateLimit/sharedRateLimiter';
import { postgresCpuMs, processCpuMs, startCpuMeter, type CpuShare, perUnit } from '../lib/cpu';
import { round } from '../lib/stats';

export type RateLimitVariant = Readonly<{
  name: string;
  lease: number;
  requests: number;
  /** wall time per request, sequential, microseconds */
  microsPerRequest: number;
  /** CPU ms per request of this process and of PostgreSQL */
  cpuMsPerRequest: CpuShare;
  /** shared-bucket calls (PostgreSQL round trips) per request */
  roundTripsPerRequest: number;
}>;

export type RateLimitCost = Readonly<{ variants: readonly RateLimitVariant[] }>;

/** Counts the calls of any BucketLeases. */
const counted = (leases: BucketLeases) => {
  const counter = { calls: 0 };
  const wrapped: BucketLeases = {
    lease: (...args) => ((counter.calls += 1), leases.lease(...args)),
    giveBack: (...args) => ((counter.calls += 1), leases.giveBack(...args)),
  };
  return { counter, wrapped };
};

/**
 * What the limiter adds to each inbound request at the default policy (100/s, burst 200, so a
 * lease of 10): the shared PostgreSQL buckets, the same with a lease of 1 (a round trip per
 * request, what a naive shared limiter costs), and buckets in memory (no sharing) for reference.
 * Never refused (a high rate), 20 channels in turn, one request at a time.
 */
export const measureRateLimitCost = async (
  databaseUrl: string,
  clusterDir: string | null,
  requests = 20_000,
): Promise<RateLimitCost> => {
  const pool = createPool({ connectionString: databaseUrl, max: 4, applicationName: 'bench' });
  try {
    const variants: RateLimitVariant[] = [];
    const run = async (name: string, lease: number, leases: BucketLeases, postgres: boolean) => {
      const { counter, wrapped } = counted(leases);
      const limiter = new SharedRateLimiter({
        perSecond: 1_000_000,
        burst: 200,
        lease,
        leases: wrapped,
      });
      for (let i = 0; i < 200; i++) await limiter.take(`warm-${i % 20}`);
      counter.calls = 0;
      const cpu = startCpuMeter({
        bench: () => processCpuMs(process.pid),
        postgres: postgresCpuMs(clusterDir),
      });
      const started = process.hrtime.bigint();
      for (let i = 0; i < requests; i++) {
        const decision = await limiter.take(`${name}-${i % 20}`);
        if (decision?.allowed !== true) throw new Error(`${name}: refused at ${i}`);
      }
      const micros = Number(process.hrtime.bigint() - started) / 1000 / requests;
      const used = cpu.stop();
      await limiter.stop();
      variants.push({
        name,
        lease,
        requests,
        microsPerRequest: round(micros, 2),
        cpuMsPerRequest: perUnit(used, requests),
        roundTripsPerRequest: postgres ? round(counter.calls / requests, 4) : 0,
      });
    };
    await run('shared', 10, postgresBucketLeases(pool), true);
    await run('shared, lease 1', 1, postgresBucketLeases(pool), true);
    await run('in memory, not shared', 10, new MemoryBucketLeases(), false);
    return { variants };
  } finally {
    await pool.end();
  }
};
