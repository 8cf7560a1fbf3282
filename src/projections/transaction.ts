import type { Pool, PoolClient } from 'pg';
import { StatementBatch } from './statementBatch';

/**
 * Runs `work` on one connection of the pool, outside a transaction unless `work` opens one: for
 * reads that need one session (its prepared statements and settings) and no snapshot of their
 * own. A connection lost meanwhile, or that `work` says to discard, is closed, not returned to
 * the pool.
 */
export const onConnection = async <T>(
  pool: Pool,
  work: (client: PoolClient, discard: () => void) => Promise<T>,
): Promise<T> => {
  const client = await pool.connect();
  let broken = false;
  const discard = (): void => void (broken = true);
  // a connection lost between two statements is reported here, not by a query: without a
  // listener it would be an unhandled 'error' event (the pool only listens to idle clients)
  client.on('error', discard);
  try {
    return await work(client, discard);
  } finally {
    client.off('error', discard);
    client.release(broken);
  }
};

/**
 * What a derived-only projection's transaction (Projection.derivedOnly) sends first: its commit
 * then waits for no WAL flush. The runner's batches and a replay's pages both send it.
 */
export const COMMIT_WITHOUT_FLUSH = 'SET LOCAL synchronous_commit TO off';

/**
 * Commits what `work` began if it returns (unless it committed itself), rolls it back if it
 * throws; one connection.
 */
const transaction = <T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  commit = true,
): Promise<T> =>
  onConnection(pool, async (client, discard) => {
    try {
      const result = await work(client);
      if (commit) await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(discard);
      throw error;
    }
  });

/** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
export const inTransaction = <T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> =>
  transaction(pool, async (client) => {
    await client.query('BEGIN');
    return work(client);
  });

/**
 * The same, with BEGIN, whatever `work` queues and COMMIT sent as one message: one round trip
 * for a whole transaction, which then is never open while the event loop serves others. An
 * open transaction that has written holds back what every subscriber of the log sees (the
 * gap-safe read shows only transactions older than every running one), so under a saturated
 * event loop each round trip inside one was lag for every consumer. A statement that fails
 * skips the rest, COMMIT included; the transaction is then rolled back.
 */
export const inBatchedTransaction = <T>(
  pool: Pool,
  work: (batch: StatementBatch, client: PoolClient) => Promise<T>,
): Promise<T> =>
  transaction(
    pool,
    async (client) => {
      const batch = new StatementBatch(client);
      await batch.queue('BEGIN');
      const result = await work(batch, client);
      await batch.queue('COMMIT');
      await batch.flush();
      return result;
    },
    false,
  );
