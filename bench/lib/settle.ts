import { Client } from 'pg';

/**
 * Settles PostgreSQL before a measured phase: VACUUM (ANALYZE) takes the rows written so far
 * now (an autovacuum otherwise falls inside a phase), and CHECKPOINT writes the dirty pages
 * out now, for the same reason. Needs the rights the embedded server has (a superuser, or
 * pg_checkpoint and the tables' owner); resolves to why not when refused, else null.
 */
export const settlePostgres = async (databaseUrl: string): Promise<string | null> => {
  const client = new Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    await client.query('VACUUM (ANALYZE)');
    await client.query('CHECKPOINT');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
};
