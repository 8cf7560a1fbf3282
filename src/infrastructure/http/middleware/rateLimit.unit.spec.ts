import type { Context } from 'koa';
import { MemoryBucketLeases } from '../../rateLimit/memoryBucketLeases';
import { SharedRateLimiter } from '../../rateLimit/sharedRateLimiter';
import type { HttpError } from '../httpError';
import { enforceRateLimit } from './rateLimit';

const fakeContext = () => {
  const headers: Record<string, string> = {};
  const ctx = { set: (fields: Record<string, string>) => Object.assign(headers, fields) };
  return { ctx: ctx as unknown as Context, headers };
};

describe('rate limit middleware', () => {
  const now = () => 0;
  const limiter = () =>
    new SharedRateLimiter({
      perSecond: 1,
      burst: 2,
      lease: 1,
      leases: new MemoryBucketLeases(now),
      now,
    });

  it('sets the RateLimit fields on an admitted request', async () => {
    const { ctx, headers } = fakeContext();
    await enforceRateLimit(ctx, limiter(), 'c1');
    expect(headers).toEqual({
      'RateLimit-Limit': '2',
      'RateLimit-Remaining': '1',
      'RateLimit-Reset': '1',
    });
  });

  it('refuses with 429 E_RATE_LIMITED, the fields and Retry-After', async () => {
    const l = limiter();
    await enforceRateLimit(fakeContext().ctx, l, 'c1');
    await enforceRateLimit(fakeContext().ctx, l, 'c1');
    const error = (await enforceRateLimit(fakeContext().ctx, l, 'c1').catch(
      (e: unknown) => e,
    )) as HttpError;
    expect(error.code).toBe('E_RATE_LIMITED');
    expect(error.headers).toEqual({
      'RateLimit-Limit': '2',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '2',
      'Retry-After': '1',
    });
  });

  it('sets nothing when rate limiting is off', async () => {
    const { ctx, headers } = fakeContext();
    const off = new SharedRateLimiter({
      perSecond: 0,
      burst: 1,
      lease: 1,
      leases: new MemoryBucketLeases(),
    });
    await enforceRateLimit(ctx, off, 'c1');
    expect(headers).toEqual({});
  });
});
