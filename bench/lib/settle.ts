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

/** settlePostgres before each phase; without the rights, says so once and goes on. */
export const settler = (log: (line: string) => void, databaseUrl: string) => {
  let refused = false;
  return async (): Promise<void> => {
    if (refused) return;
    const reason = await settlePostgres(databaseUrl);
    if (reason === null) return;
    refused = true;
    log(`no VACUUM and CHECKPOINT between phases: ${reason}`);
  };
};
