import type { Pool } from 'pg';
import { ConfigError, loadConfig, type Config } from '../config';
import { startEmbeddedPostgres } from '../postgres/embedded';
import { createPool } from '../postgres/pool';
import { runningEmbeddedUrl } from '../postgres/runningEmbedded';

/** The configuration `npm start` would read, or null after printing why it is bad (exit 2). */
export const cliConfig = (env: NodeJS.ProcessEnv, err: (text: string) => void): Config | null => {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(`parley: ${error.message}\n`);
    return null;
  }
};

export type CliDatabase = Readonly<{ pool: Pool; describe: string; close(): Promise<void> }>;

/**
 * The database `npm start` would use: DATABASE_URL, or the embedded PostgreSQL in DATA_DIR:
 * the one a running Parley started (shared, never stopped here), or one started just for the
 * command when Parley is not running.
 */
export const openCliDatabase = async (config: Config): Promise<CliDatabase> => {
  // every statement of a rebuild is short (one page, one event); the pool's limits suit it
  const pool = (url: string): Pool =>
    createPool({ connectionString: url, max: 4, applicationName: 'parley-cli' });
  if (config.databaseUrl !== null) {
    const connected = pool(config.databaseUrl);
    return { pool: connected, describe: 'DATABASE_URL', close: () => connected.end() };
  }
  const running = await runningEmbeddedUrl(config.dataDir);
  if (running !== null) {
    const connected = pool(running);
    return {
      pool: connected,
      describe: `the embedded PostgreSQL of the Parley running on ${config.dataDir}`,
      close: () => connected.end(),
    };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
  const connected = pool(embedded.connectionString);
  return {
    pool: connected,
    describe: `the embedded PostgreSQL in ${config.dataDir}, started for this command`,
    close: async () => {
      await connected.end();
      await embedded.stop();
    },
  };
};
