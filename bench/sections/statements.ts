import { Client } from 'pg';
import { round } from '../lib/stats';

export type StatementStat = Readonly<{
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rowsPerCall: number;
  /** of the total_exec_time of every statement of the database over the same time */
  share: number;
}>;

/** What the server ran for the bench's database between a reset and a read. */
export type StatementProfile = Readonly<{
  /** every statement's calls and total_exec_time */
  calls: number;
  totalMs: number;
  /** the statements with the most total_exec_time */
  top: readonly StatementStat[];
}>;

const withClient = async <T>(databaseUrl: string, run: (client: Client) => Promise<T>) => {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return await run(client);
  } finally {
    await client.end();
  }
};

/** pg_stat_statements (loaded only when the bench runs with --statements) starts afresh. */
export const resetStatements = (databaseUrl: string): Promise<void> =>
  withClient(databaseUrl, async (client) => {
    await client.query('SELECT pg_stat_statements_reset()');
  });

/**
 * Where the server's time went since the last reset: the `limit` statements with the most
 * total_exec_time, each with its share of the whole.
 */
export const readStatements = (databaseUrl: string, limit = 10): Promise<StatementProfile> =>
  withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{
      query: string;
      calls: string;
      total: number;
      rows: string;
    }>(
      `SELECT query, calls, total_exec_time AS total, rows FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND query NOT LIKE '%pg_stat_statements%'
       ORDER BY total_exec_time DESC`,
    );
    const totalMs = rows.reduce((sum, r) => sum + r.total, 0);
    return {
      calls: rows.reduce((sum, r) => sum + Number(r.calls), 0),
      totalMs: round(totalMs, 1),
      top: rows.slice(0, limit).map((r) => ({
        query: r.query.replace(/\s+/g, ' ').slice(0, 160),
        calls: Number(r.calls),
        totalMs: round(r.total, 1),
        meanMs: round(r.total / Math.max(1, Number(r.calls)), 3),
        rowsPerCall: round(Number(r.rows) / Math.max(1, Number(r.calls)), 2),
        share: round(r.total / Math.max(Number.MIN_VALUE, totalMs), 3),
      })),
    };
  });
