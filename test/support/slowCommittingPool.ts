import type { Pool, QueryResult } from 'pg';

/**
 * A Pool whose every query runs in its own transaction that stays open a random while after
 * the statement ran: an append then commits after appends that started later, the case that
 * makes naive `position > last` readers skip events (SPEC 1.2).
 */
export const slowCommittingPool = (
  pool: Pool,
  { minMs, maxMs }: { minMs: number; maxMs: number },
): Pool => {
  const query = async (sql: string, params?: unknown[]): Promise<QueryResult> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await client.query(sql, params);
      await new Promise((r) => setTimeout(r, minMs + Math.random() * (maxMs - minMs)));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  return { query, connect: () => pool.connect(), on: () => undefined } as unknown as Pool;
};

/**
 * A Pool whose next append stays uncommitted until `commit()` is called: deterministic
 * out-of-order commits for the gap-safety test.
 */
export const heldTransactionPool = (pool: Pool) => {
  let commit: () => void = () => undefined;
  let started: () => void = () => undefined;
  const committed = new Promise<void>((resolve) => (commit = resolve));
  const inserted = new Promise<void>((resolve) => (started = resolve));
  const query = async (sql: string, params?: unknown[]): Promise<QueryResult> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await client.query(sql, params);
      started();
      await committed;
      await client.query('COMMIT');
      return result;
    } finally {
      client.release();
    }
  };
  return {
    pool: { query, connect: () => pool.connect(), on: () => undefined } as unknown as Pool,
    /** resolves once the held append has inserted its rows */
    inserted,
    commit: () => commit(),
  };
};
