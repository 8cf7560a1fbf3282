import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { migrate } from '../../src/infrastructure/postgres/migrations';
import { createPool } from '../../src/infrastructure/postgres/pool';

export type TestDatabase = {
  /** set in beforeAll */
  pool: Pool;
  connectionString: string;
};

const serverUrl = (): string => {
  const url = process.env.PARLEY_TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'PARLEY_TEST_DATABASE_URL is not set: run the tests through jest (globalSetup)',
    );
  return url;
};

const withDatabase = (url: string, database: string): string => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/** A fresh, migrated database of its own for one test file; dropped afterwards. */
export const createTestDatabase = async (
  options: { migrate?: boolean; poolSize?: number } = {},
): Promise<TestDatabase & { drop(): Promise<void> }> => {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const connectionString = withDatabase(serverUrl(), name);
  const pool = createPool({
    connectionString,
    max: options.poolSize ?? 20,
    applicationName: 'parley-test',
  });
  if (options.migrate !== false) await migrate(pool);
  return {
    pool,
    connectionString,
    drop: async () => {
      if (!pool.ended) await pool.end();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
};

/** Registers beforeAll/afterAll for a per-file database and hands back a live handle. */
export const useTestDatabase = (
  options: { migrate?: boolean; poolSize?: number } = {},
): TestDatabase => {
  const handle = {} as TestDatabase & { drop?: () => Promise<void> };
  beforeAll(async () => Object.assign(handle, await createTestDatabase(options)));
  afterAll(async () => handle.drop?.());
  return handle;
};
