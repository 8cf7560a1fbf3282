import { createTestDatabase } from '../../../test/support/database';
import { postgresBucketLeases } from './postgresBucketLeases';

describe('shared rate limit buckets in PostgreSQL', () => {
  const policy = { perSecond: 1, burst: 10 };
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 8 });
  });
  afterAll(async () => db.drop());

  it('given a new key, when leasing, then the bucket starts full and grants what it holds', async () => {
    const leases = postgresBucketLeases(db.pool);
    expect(await leases.lease('fresh', 4, policy)).toEqual({ granted: 4, tokens: 6 });
    const second = await leases.lease('fresh', 4, policy);
    expect(second.granted).toBe(4);
    const third = await leases.lease('fresh', 4, policy);
    expect(third.granted).toBe(2); // what is left, not the lease asked for
    expect(third.tokens).toBeLessThan(1);
  });

  it('given many processes leasing at once, then together they never get more than the bucket holds', async () => {
    const leases = postgresBucketLeases(db.pool);
    const started = Date.now();
    const granted = await Promise.all(
      Array.from({ length: 20 }, () => leases.lease('contended', 3, policy)),
    );
    const elapsedS = (Date.now() - started) / 1000;
    const total = granted.reduce((sum, lease) => sum + lease.granted, 0);
    expect(total).toBeGreaterThanOrEqual(10);
    expect(total).toBeLessThanOrEqual(10 + Math.floor(elapsedS * policy.perSecond));
  });

  it('given tokens given back, then they can be leased again, never above the burst', async () => {
    const leases = postgresBucketLeases(db.pool);
    expect((await leases.lease('returned', 10, policy)).granted).toBe(10);
    await leases.giveBack('returned', 7, policy);
    expect((await leases.lease('returned', 10, policy)).granted).toBe(7);
    await leases.giveBack('returned', 50, policy);
    expect((await leases.lease('returned', 50, policy)).granted).toBe(10);
  });

  it('refills by the database clock', async () => {
    const leases = postgresBucketLeases(db.pool);
    expect((await leases.lease('refill', 10, policy)).granted).toBe(10);
    // two seconds ago, as far as the bucket knows
    await db.pool.query(
      `UPDATE rate_limit_buckets SET refilled_at = now() - interval '2 seconds' WHERE bucket = 'refill'`,
    );
    expect((await leases.lease('refill', 10, policy)).granted).toBe(2);
  });
});
