import { HttpError } from '../httpError';
import { RateLimiter } from './rateLimit';

const refused = (limiter: RateLimiter, key = 'c1'): HttpError | null => {
  try {
    limiter.take(key);
    return null;
  } catch (error) {
    return error as HttpError;
  }
};

describe('rate limiter', () => {
  it('lets a burst through, then refuses with Retry-After, then refills', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 3, () => now);
    expect([refused(limiter), refused(limiter), refused(limiter)]).toEqual([null, null, null]);
    const error = refused(limiter);
    expect(error?.code).toBe('E_RATE_LIMITED');
    expect(error?.headers['Retry-After']).toBe('1');
    now = 500; // one token back at 2 per second
    expect(refused(limiter)).toBeNull();
    expect(refused(limiter)?.code).toBe('E_RATE_LIMITED');
  });
  it('keeps channels apart', () => {
    const limiter = new RateLimiter(1, 1, () => 0);
    expect(refused(limiter, 'a')).toBeNull();
    expect(refused(limiter, 'b')).toBeNull();
    expect(refused(limiter, 'a')?.code).toBe('E_RATE_LIMITED');
  });
  it('does nothing when turned off', () => {
    const limiter = new RateLimiter(0, 1, () => 0);
    for (let i = 0; i < 100; i++) expect(refused(limiter)).toBeNull();
  });
});
