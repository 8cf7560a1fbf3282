import { HttpError } from '../httpError';

/**
 * Token buckets per key (a channel), in this process: `perSecond` sustained, `burst` at once.
 * Replicas each keep their own buckets, so the cluster-wide limit is replicas × the setting.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token or throws 429 E_RATE_LIMITED with Retry-After. */
  take(key: string): void {
    if (this.perSecond <= 0) return;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const seconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
      throw new HttpError(
        'E_RATE_LIMITED',
        `too many requests for this channel; retry in ${seconds} s`,
        undefined,
        {
          'Retry-After': String(seconds),
        },
      );
    }
    bucket.tokens -= 1;
    // forget idle buckets now and then so the map stays small
    if (this.buckets.size > 10_000) {
      for (const [k, b] of this.buckets) if (now - b.at > 60_000) this.buckets.delete(k);
    }
  }
}
