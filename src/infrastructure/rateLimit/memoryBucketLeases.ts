import type { BucketLeases, Lease } from './bucketLeases';
import { refilled, takeFrom, type Bucket, type RatePolicy } from './tokenBucket';

/** Shared buckets in memory, on an injected clock: several limiters on one of these act as processes. */
export class MemoryBucketLeases implements BucketLeases {
  private readonly buckets = new Map<string, Bucket>();
  /** calls made, so specs and the bench can count round trips */
  calls = 0;

  constructor(private readonly now: () => number = Date.now) {}

  lease(key: string, want: number, policy: RatePolicy): Promise<Lease> {
    this.calls += 1;
    const now = this.now();
    const taken = takeFrom(
      policy,
      this.buckets.get(key) ?? { tokens: policy.burst, at: now },
      now,
      want,
    );
    this.buckets.set(key, taken.bucket);
    return Promise.resolve({ granted: taken.granted, tokens: taken.bucket.tokens });
  }

  giveBack(key: string, tokens: number, policy: RatePolicy): Promise<void> {
    this.calls += 1;
    const bucket = this.buckets.get(key);
    if (bucket !== undefined) {
      const current = refilled(policy, bucket, this.now());
      this.buckets.set(key, {
        tokens: Math.min(policy.burst, current.tokens + tokens),
        at: current.at,
      });
    }
    return Promise.resolve();
  }
}
