import fc from 'fast-check';
import type { BucketLeases } from './bucketLeases';
import { MemoryBucketLeases } from './memoryBucketLeases';
import { SharedRateLimiter, type SharedRateLimiterOptions } from './sharedRateLimiter';

const clock = () => {
  const c = { t: 0, now: () => c.t };
  return c;
};

const limiterOn = (
  leases: BucketLeases,
  now: () => number,
  options: Partial<SharedRateLimiterOptions> = {},
) => new SharedRateLimiter({ perSecond: 2, burst: 10, lease: 3, leases, now, ...options });

const admittedOf = async (limiter: SharedRateLimiter, count: number, key = 'c1') => {
  let admitted = 0;
  for (let i = 0; i < count; i++) if ((await limiter.take(key))?.allowed) admitted += 1;
  return admitted;
};

describe('shared rate limiter', () => {
  it('given a full bucket, when a burst comes, then the burst passes, counts down, and is refused with Retry-After', async () => {
    const c = clock();
    const limiter = limiterOn(new MemoryBucketLeases(c.now), c.now);
    const first = await limiter.take('c1');
    expect(first).toEqual({
      allowed: true,
      limit: 10,
      remaining: 9,
      resetSeconds: 1, // one token short of 10 at 2 per second
      retryAfterSeconds: 0,
    });
    const rest = [];
    for (let i = 0; i < 9; i++) rest.push(await limiter.take('c1'));
    expect(rest.map((d) => d?.remaining)).toEqual([8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(rest.at(-1)?.resetSeconds).toBe(5);
    expect(await limiter.take('c1')).toEqual({
      allowed: false,
      limit: 10,
      remaining: 0,
      resetSeconds: 5,
      retryAfterSeconds: 1,
    });
  });

  it('given an empty bucket, when time passes, then it refills at the rate', async () => {
    const c = clock();
    const limiter = limiterOn(new MemoryBucketLeases(c.now), c.now);
    expect(await admittedOf(limiter, 12)).toBe(10);
    c.t = 1_500; // three tokens back at 2 per second
    expect(await admittedOf(limiter, 5)).toBe(3);
  });

  it('asks the shared bucket once per lease, and not at all while it is known to be empty', async () => {
    const c = clock();
    const leases = new MemoryBucketLeases(c.now);
    const limiter = limiterOn(leases, c.now, { perSecond: 1000, burst: 1000, lease: 50 });
    expect(await admittedOf(limiter, 1000)).toBe(1000);
    expect(leases.calls).toBe(20);
    expect(await admittedOf(limiter, 100)).toBe(0);
    expect(leases.calls).toBe(21); // the one that found it empty
    c.t = 10; // ten tokens back
    expect(await admittedOf(limiter, 20)).toBe(10);
  });

  it('keeps keys apart', async () => {
    const c = clock();
    const limiter = limiterOn(new MemoryBucketLeases(c.now), c.now, { burst: 1, lease: 1 });
    expect(await admittedOf(limiter, 2, 'a')).toBe(1);
    expect(await admittedOf(limiter, 2, 'b')).toBe(1);
  });

  it('given two processes on one bucket, then together they admit the burst, and an idle one gives its lease back', async () => {
    const c = clock();
    const leases = new MemoryBucketLeases(c.now);
    const a = limiterOn(leases, c.now);
    const b = limiterOn(leases, c.now);
    expect((await admittedOf(a, 1)) + (await admittedOf(b, 20))).toBe(8); // a holds 2 of 10
    expect(await admittedOf(b, 1)).toBe(0);
    await a.returnIdle(0); // a is idle: its 2 go back
    c.t = 499; // b knows the bucket was empty and does not ask until a token has refilled
    expect(await admittedOf(b, 1)).toBe(0);
    c.t = 500; // 1 refilled + 2 given back
    expect(await admittedOf(b, 5)).toBe(3);
  });

  it('never admits more than the burst plus the refill, however processes interleave', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(
          fc.record({
            process: fc.nat(3),
            advanceMs: fc.integer({ min: 0, max: 400 }),
            returnIdle: fc.boolean(),
          }),
          { maxLength: 200 },
        ),
        async (processes, lease, steps) => {
          const c = clock();
          const leases = new MemoryBucketLeases(c.now);
          const limiters = Array.from({ length: processes }, () =>
            limiterOn(leases, c.now, { perSecond: 5, burst: 20, lease }),
          );
          let admitted = 0;
          for (const step of steps) {
            c.t += step.advanceMs;
            const limiter = limiters[step.process % processes] as SharedRateLimiter;
            if (step.returnIdle) await limiter.returnIdle(100);
            const decision = await limiter.take('c1');
            if (decision?.allowed) admitted += 1;
            expect(decision?.remaining).toBeGreaterThanOrEqual(0);
          }
          expect(admitted).toBeLessThanOrEqual(20 + Math.floor((c.t / 1000) * 5));
        },
      ),
    );
  });

  it('when stopping, gives every unspent token back', async () => {
    const c = clock();
    const leases = new MemoryBucketLeases(c.now);
    const a = limiterOn(leases, c.now, { lease: 5 });
    expect(await admittedOf(a, 1)).toBe(1);
    await a.stop();
    expect(await admittedOf(limiterOn(leases, c.now), 20)).toBe(9);
  });

  it('given the shared buckets unreachable, then it limits per process, says so once, and asks again later', async () => {
    const c = clock();
    const warn = jest.fn();
    let down = true;
    const memory = new MemoryBucketLeases(c.now);
    const leases: BucketLeases = {
      lease: (...args) =>
        down ? Promise.reject(new Error('ECONNREFUSED')) : memory.lease(...args),
      giveBack: (...args) => memory.giveBack(...args),
    };
    const limiter = limiterOn(leases, c.now, {
      fallbackMs: 1_000,
      logger: { warn } as unknown as SharedRateLimiterOptions['logger'],
    });
    expect(await admittedOf(limiter, 12)).toBe(10); // the local bucket, at the full setting
    expect(warn).toHaveBeenCalledTimes(1);
    down = false;
    c.t = 1_000;
    expect(await admittedOf(limiter, 12)).toBe(10); // the shared bucket again, full
    expect(memory.calls).toBeGreaterThan(0);
  });

  it('given a lease that hangs, then it falls back instead of holding the request', async () => {
    const limiter = new SharedRateLimiter({
      perSecond: 1,
      burst: 1,
      lease: 1,
      leaseTimeoutMs: 20,
      leases: { lease: () => new Promise(() => undefined), giveBack: () => Promise.resolve() },
    });
    expect((await limiter.take('c1'))?.allowed).toBe(true);
    expect((await limiter.take('c1'))?.allowed).toBe(false);
  });

  it('does nothing when turned off', async () => {
    const leases = new MemoryBucketLeases();
    const limiter = limiterOn(leases, Date.now, { perSecond: 0 });
    expect(await limiter.take('c1')).toBeNull();
    expect(leases.calls).toBe(0);
  });
});
