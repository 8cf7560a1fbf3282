import { Client } from 'pg';
import { round } from '../lib/stats';

export type StatementStat = Readonly<{
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rowsPerCall: number;
}>;

/**
 * pg_stat_statements of the bench's database (only loaded when the bench runs with
 * --statements): where the server's time goes under the inbound load.
 */
export const topStatements = async (
  databaseUrl: string,
  action: 'reset' | 'read',
): Promise<StatementStat[]> => {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    if (action === 'reset') {
      await client.query('SELECT pg_stat_statements_reset()');
      return [];
    }
    const rows = await client.query<{ query: string; calls: string; total: number; rows: string }>(
      `SELECT query, calls, total_exec_time AS total, rows FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       ORDER BY total_exec_time DESC LIMIT 12`,
    );
    return rows.rows.map((r) => ({
      query: r.query.replace(/\s+/g, ' ').slice(0, 160),
      calls: Number(r.calls),
      totalMs: round(r.total, 1),
      meanMs: round(r.total / Math.max(1, Number(r.calls)), 3),
      rowsPerCall: round(Number(r.rows) / Math.max(1, Number(r.calls)), 2),
    }));
  } finally {
    await client.end();
  }
};
