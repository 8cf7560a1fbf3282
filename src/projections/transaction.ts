import type { Pool, PoolClient } from 'pg';

/** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
export const inTransaction = async <T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> => {
  const client = await pool.connect();
  let broken = false;
  // a connection lost between two statements is reported here, not by a query: without a
  // listener it would be an unhandled 'error' event (the pool only listens to idle clients)
  const onError = (): void => void (broken = true);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
};
