import type { RatePolicy } from './tokenBucket';

/** What the shared bucket answered: the tokens granted and the tokens it still holds. */
export type Lease = Readonly<{ granted: number; tokens: number }>;

/**
 * The shared buckets, one per key, that every Parley process on the database leases from.
 * PostgreSQL in production (postgresBucketLeases.ts); memory in unit specs and the bench.
 */
export interface BucketLeases {
  /** takes up to `want` whole tokens from `key`'s bucket, refilled to now */
  lease(key: string, want: number, policy: RatePolicy): Promise<Lease>;
  /** puts unspent tokens back (the bucket never goes above its burst) */
  giveBack(key: string, tokens: number, policy: RatePolicy): Promise<void>;
}
