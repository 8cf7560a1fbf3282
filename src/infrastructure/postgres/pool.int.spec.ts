import { useTestDatabase } from '../../../test/support/database';
import { createPool } from './pool';

describe("Parley's pool", () => {
  const db = useTestDatabase();

  it('given a checked-out connection that listens to nothing, when PostgreSQL ends it between two statements, then the next statement fails and the process lives on', async () => {
    const pool = createPool({ connectionString: db.connectionString, max: 2 });
    try {
      // as migrate() and the subject keys' destroy() hold one: no 'error' listener of their own
      const client = await pool.connect();
      const { pid } = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
        .rows[0] as { pid: number };
      await db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      // without a listener, PostgreSQL's 57P01 would be thrown as an unhandled 'error' event here
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release();
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
