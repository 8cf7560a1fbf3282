import { useTestDatabase } from '../../test/support/database';
import type { PoolClient } from 'pg';
import { inBatchedTransaction, inTransaction } from './transaction';

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

  /** what the connection was sent, one entry per message */
  const recording = (client: PoolClient, sent: string[]): void => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const [text] = args;
      sent.push(typeof text === 'string' ? text : ((text as { text?: string }).text ?? ''));
      return query(...args);
    };
  };

  it('given a batched transaction, when it commits, then BEGIN, its writes and COMMIT went as one message', async () => {
    await db.pool.query('CREATE TABLE batched (n integer PRIMARY KEY)');
    const insert = 'INSERT INTO batched VALUES ($1)';
    // the statement is prepared on the connection at its first use, in a message of its own;
    // the pool hands the same idle connection back next
    await inBatchedTransaction(db.pool, (batch) => batch.queue(insert, [0]));
    const sent: string[] = [];
    await inBatchedTransaction(db.pool, async (batch, client) => {
      recording(client, sent);
      await batch.queue(insert, [1]);
      await batch.queue(insert, [2]);
    });
    expect(sent.filter((text) => /EXECUTE/.test(text))).toHaveLength(1);
    expect(sent.find((text) => /EXECUTE/.test(text))).toMatch(/^BEGIN;[\s\S]*;\nCOMMIT$/);
    expect(sent.filter((text) => /^(COMMIT|ROLLBACK)$/.test(text))).toEqual([]);
    expect((await db.pool.query('SELECT n FROM batched ORDER BY n')).rows).toEqual([
      { n: 0 },
      { n: 1 },
      { n: 2 },
    ]);
  });

  it('given a batched transaction, when a statement in it fails, then none of it is kept', async () => {
    await db.pool.query('CREATE TABLE refused (n integer PRIMARY KEY)');
    const insert = 'INSERT INTO refused VALUES ($1)';
    const failed = inBatchedTransaction(db.pool, async (batch) => {
      await batch.queue(insert, [1]);
      await batch.queue(insert, [1]);
    });
    await expect(failed).rejects.toThrow(/duplicate key/);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM refused')).rows[0]).toEqual({
      n: 0,
    });
    // and the connection went back clean: the next transaction works
    await inBatchedTransaction(db.pool, (batch) => batch.queue(insert, [2]));
    expect((await db.pool.query('SELECT n FROM refused')).rows).toEqual([{ n: 2 }]);
  });
});
