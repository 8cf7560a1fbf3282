/** A channel's limit: `perSecond` sustained, `burst` at once (RATE_LIMIT_PER_SECOND / _BURST). */
export type RatePolicy = Readonly<{ perSecond: number; burst: number }>;

/** A bucket's tokens at a moment (ms). */
export type Bucket = Readonly<{ tokens: number; at: number }>;

/** The bucket at `now`: refilled at `perSecond`, never above `burst`, never back in time. */
export const refilled = (policy: RatePolicy, bucket: Bucket, now: number): Bucket => ({
  tokens: Math.min(
    policy.burst,
    bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * policy.perSecond,
  ),
  at: Math.max(now, bucket.at),
});

/** Whole seconds until the bucket holds `tokens` again (0 when it already does). */
export const secondsUntil = (policy: RatePolicy, current: number, tokens: number): number =>
  current >= tokens ? 0 : Math.ceil((tokens - current) / policy.perSecond);

/**
 * Takes up to `want` whole tokens from a bucket refilled to `now`: what is granted and what is
 * left. The shared bucket in PostgreSQL does the same in SQL (postgresBucketLeases.ts).
 */
export const takeFrom = (
  policy: RatePolicy,
  bucket: Bucket,
  now: number,
  want: number,
): Readonly<{ granted: number; bucket: Bucket }> => {
  const current = refilled(policy, bucket, now);
  const granted = Math.max(0, Math.min(want, Math.floor(current.tokens)));
  return { granted, bucket: { tokens: current.tokens - granted, at: current.at } };
};
