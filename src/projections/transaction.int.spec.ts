import { useTestDatabase } from '../../test/support/database';
import { inTransaction } from './transaction';

describe('a read-model transaction', () => {
  const db = useTestDatabase();

  it('survives its connection being cut between two statements, and rolls back', async () => {
    await db.pool.query('CREATE TABLE cut (n integer)');
    const failed = inTransaction(db.pool, async (client) => {
      await client.query('INSERT INTO cut VALUES (1)');
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]
        ?.pid;
      await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      // the connection dies while no statement of ours runs
      await new Promise((resolve) => setTimeout(resolve, 200));
      await client.query('INSERT INTO cut VALUES (2)');
    });
    await expect(failed).rejects.toThrow();
    expect((await db.pool.query('SELECT count(*)::int AS n FROM cut')).rows[0]).toEqual({ n: 0 });
  });
});
