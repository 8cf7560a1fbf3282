import type { Pool } from 'pg';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
import { createPool, GENERIC_PLANS } from './pool';

/** The process's PostgreSQL: DATABASE_URL's, or an embedded server in DATA_DIR; its pools. */
export type Database = Readonly<{
  pool: Pool;
  /** the read models' runners' connections, apart from `pool` (see ParleyDeps.readSidePool) */
  readSidePool: Pool;
  /** the reads of the whole log by every consumer (PostgresEventStoreOptions.readPool) */
  logReadPool: Pool;
  embedded: EmbeddedPostgres | null;
  /** runs `stop` first when the database is released (a LISTEN connection of the pool) */
  beforeRelease: (stop: () => Promise<void>) => void;
  /** ends the pools, then the embedded server */
  release: () => Promise<void>;
}>;

export const openDatabase = async (
  config: Config,
  logger: Logger,
  readSideConnections: number,
  logReadConnections: number,
): Promise<Database> => {
  const embedded =
    config.databaseUrl === null
      ? await startEmbeddedPostgres({
          dataDir: config.dataDir,
          log: (line) => logger.debug({ postgres: line }, 'embedded postgres'),
        })
      : null;
  if (embedded !== null)
    logger.info({ dataDir: config.dataDir, port: embedded.port }, 'embedded PostgreSQL started');

  const connectionString = embedded?.connectionString ?? (config.databaseUrl as string);
  const pool = createPool({ connectionString, max: config.databasePoolSize });
  // named `parley` as the other: `npm run projections -- status` shows it as where they run
  // both run the same few statements all day: on generic plans (GENERIC_PLANS, pool.ts)
  const readSidePool = createPool({
    connectionString,
    max: readSideConnections,
    settings: GENERIC_PLANS,
  });
  const logReadPool = createPool({
    connectionString,
    max: logReadConnections,
    settings: GENERIC_PLANS,
  });
  let stopFirst = async (): Promise<void> => undefined;
  return {
    pool,
    readSidePool,
    logReadPool,
    embedded,
    beforeRelease: (stop) => {
      stopFirst = stop;
    },
    release: async () => {
      await stopFirst();
      await readSidePool.end().catch(() => undefined);
      await logReadPool.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await embedded?.stop();
    },
  };
};
