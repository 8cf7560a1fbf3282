import type { Client } from 'pg';
import { withClient } from '../lib/database';
import { KEY_LOOKUP } from '../../src/infrastructure/privacy/postgresSubjectKeys';
import { round } from '../lib/stats';

export type StatementStat = Readonly<{
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rowsPerCall: number;
  /**
   * how often PostgreSQL planned it (pg_stat_statements.track_planning): a named statement
   * planned at every call never settled on a generic plan
   */
  plans: number;
  /** the mean time of one planning */
  planMs: number;
  /** of the total_exec_time of every statement of the database over the same time */
  share: number;
}>;

/** An append's expected revision, as its stream step says (postgresEventStore.ts's STREAM_STEP). */
export type AppendShape = 'no_stream' | 'any' | 'stream_exists' | 'revision';

/**
 * Which append a pg_stat_statements entry is, or null for any other statement: the four
 * appends with `unchanged` streams share their first 200 characters, so a shortened text
 * cannot tell them apart.
 */
export const appendShape = (query: string): AppendShape | null => {
  if (!/INSERT INTO event_store\.events/.test(query)) return null;
  if (/ON CONFLICT \(stream_id\) DO NOTHING/.test(query)) return 'no_stream';
  if (/ON CONFLICT \(stream_id\) DO UPDATE/.test(query)) return 'any';
  if (/AND revision = \$\d+::bigint/.test(query)) return 'revision';
  return 'stream_exists';
};

/** A statement's text for the table: an append named by its shape, then its start. */
const labelled = (query: string): string => {
  const shape = appendShape(query);
  const unchanged = /unnest\(\$\d+::text\[\], \$\d+::bigint\[\]\)/.test(query);
  const text = query.replace(/\s+/g, ' ');
  return (
    shape === null ? text : `[append ${shape}${unchanged ? ', unchanged streams' : ''}] ${text}`
  ).slice(0, 160);
};

/** What the server ran for the bench's database between a reset and a read. */
export type StatementProfile = Readonly<{
  /** every statement's calls and total_exec_time */
  calls: number;
  totalMs: number;
  /** the statements with the most total_exec_time */
  top: readonly StatementStat[];
  /**
   * calls of the lookups of cached data keys (SPEC §8): a cached key is looked up again only
   * when the destruction listener cannot vouch for it, so at full load these are the misses
   */
  keyLookups: number;
}>;

const withStatements = <T>(databaseUrl: string, run: (client: Client) => Promise<T>) =>
  withClient(databaseUrl, async (client) => {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return run(client);
  });

/** pg_stat_statements (loaded only when the bench runs with --statements) starts afresh. */
export const resetStatements = (databaseUrl: string): Promise<void> =>
  withStatements(databaseUrl, async (client) => {
    await client.query('SELECT pg_stat_statements_reset()');
  });

/**
 * Where the server's time went since the last reset: the `limit` statements with the most
 * total_exec_time, each with its share of the whole.
 */
export const readStatements = (databaseUrl: string, limit = 10): Promise<StatementProfile> =>
  withStatements(databaseUrl, async (client) => {
    const { rows } = await client.query<{
      query: string;
      calls: string;
      total: number;
      rows: string;
      plans: string;
      plan_total: number;
    }>(
      `SELECT query, calls, total_exec_time AS total, rows, plans, total_plan_time AS plan_total
       FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND query NOT LIKE '%pg_stat_statements%'
       ORDER BY total_exec_time DESC`,
    );
    const totalMs = rows.reduce((sum, r) => sum + r.total, 0);
    return {
      calls: rows.reduce((sum, r) => sum + Number(r.calls), 0),
      keyLookups: rows
        .filter((r) => r.query === KEY_LOOKUP)
        .reduce((sum, r) => sum + Number(r.calls), 0),
      totalMs: round(totalMs, 1),
      top: rows.slice(0, limit).map((r) => ({
        query: labelled(r.query),
        calls: Number(r.calls),
        totalMs: round(r.total, 1),
        meanMs: round(r.total / Math.max(1, Number(r.calls)), 3),
        rowsPerCall: round(Number(r.rows) / Math.max(1, Number(r.calls)), 2),
        plans: Number(r.plans),
        planMs: round(r.plan_total / Math.max(1, Number(r.plans)), 3),
        share: round(r.total / Math.max(Number.MIN_VALUE, totalMs), 3),
      })),
    };
  });
