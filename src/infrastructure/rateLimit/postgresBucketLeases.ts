import type { Pool } from 'pg';
import type { Migration } from '../postgres/migrations';
import type { BucketLeases, Lease } from './bucketLeases';
import type { RatePolicy } from './tokenBucket';

/**
 * UNLOGGED: a bucket is a few seconds of state, not worth the WAL; after a crash PostgreSQL
 * empties the table and every bucket starts full again.
 */
export const rateLimitMigration: Migration = {
  version: 90,
  name: 'shared rate limit buckets',
  sql: `
    CREATE UNLOGGED TABLE rate_limit_buckets (
      bucket text PRIMARY KEY,
      tokens double precision NOT NULL,
      refilled_at timestamptz NOT NULL,
      -- what the last lease granted, so one statement both takes and reports it
      last_grant integer NOT NULL
    );
  `,
};

// $2 burst, $3 per second; the database's clock is the one clock all processes share
const REFILLED = `least($2::float8, b.tokens + $3::float8 * greatest(0, extract(epoch FROM now() - b.refilled_at)))`;

const LEASE = `
  INSERT INTO rate_limit_buckets AS b (bucket, tokens, refilled_at, last_grant)
  VALUES ($1, $2::float8 - least($4::int, floor($2::float8)), now(), least($4::int, floor($2::float8)))
  ON CONFLICT (bucket) DO UPDATE SET
    last_grant = least($4::int, floor(${REFILLED})),
    tokens = ${REFILLED} - least($4::int, floor(${REFILLED})),
    refilled_at = now()
  RETURNING last_grant AS granted, tokens`;

const GIVE_BACK = `
  UPDATE rate_limit_buckets AS b
  SET tokens = least($2::float8, ${REFILLED} + $4::int), refilled_at = now()
  WHERE bucket = $1`;

/** The shared buckets as rows of PostgreSQL, there whichever event store is configured. */
export const postgresBucketLeases = (pool: Pool): BucketLeases => ({
  lease: async (key: string, want: number, policy: RatePolicy): Promise<Lease> => {
    const { rows } = await pool.query<{ granted: number; tokens: number }>({
      name: 'rate-limit-lease',
      text: LEASE,
      values: [key, policy.burst, policy.perSecond, want],
    });
    const row = rows[0] as { granted: number; tokens: number };
    return { granted: row.granted, tokens: row.tokens };
  },
  giveBack: async (key: string, tokens: number, policy: RatePolicy): Promise<void> => {
    await pool.query({
      name: 'rate-limit-give-back',
      text: GIVE_BACK,
      values: [key, policy.burst, policy.perSecond, tokens],
    });
  },
});
