import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/infrastructure/config';
import { createLogger } from '../../src/infrastructure/logger';
import { startParley, type Parley, type StartOptions } from '../../src/infrastructure/parley';
import type { Resolve } from '../../src/infrastructure/webhooks/urlGuard';
import { createTestDatabase } from './database';
import { TEST_MASTER_KEY } from './process';

export type TestParley = Parley & {
  /** the admin bearer header */
  admin: Readonly<{ authorization: string }>;
  /** fetch relative to the server */
  request: (pathAndQuery: string, init?: RequestInit) => Promise<Response>;
};

/**
 * How a test Parley resolves the host names of webhooks and attachments unless the test says
 * otherwise: `localhost` only. Any other name is unknown at once, so no test sends a DNS query
 * off the machine (the fixtures' `cdn.example.com` did, from the attachment fetch worker) or
 * would ever reach a host that happened to resolve.
 */
export const offlineResolve: Resolve = async (hostname) => {
  if (hostname === 'localhost') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

/**
 * A whole Parley, in process, on 127.0.0.1 and a database of its own: for HTTP acceptance tests.
 * `env` overrides configuration variables (limits, rate limit, …).
 */
export const startTestParley = async (
  env: Record<string, string> = {},
  options: StartOptions = {},
  /** receives every log line (JSON) instead of stdout */
  logTo?: (line: string) => void,
): Promise<TestParley & { stop(): Promise<void> }> => {
  const db = await createTestDatabase({ migrate: false, poolSize: 2 });
  await db.pool.end();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-app-'));
  const config: Config = loadConfig({
    DATABASE_URL: db.connectionString,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    PARLEY_MASTER_KEY: TEST_MASTER_KEY,
    LOG_LEVEL: process.env.PARLEY_TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const logger = createLogger(config.logLevel, logTo === undefined ? undefined : { write: logTo });
  const parley = await startParley(config, logger, { resolve: offlineResolve, ...options });
  return {
    ...parley,
    admin: { authorization: `Bearer ${config.adminToken}` },
    request: (pathAndQuery, init) => fetch(`${parley.url}${pathAndQuery}`, init),
    stop: async () => {
      await parley.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};

/** the stops of the second processes on each useTestParley's database */
const sharers = new WeakMap<TestParley, Array<() => Promise<void>>>();

/** beforeAll/afterAll around startTestParley; the handle fills in before the first test. */
export const useTestParley = (
  env: Record<string, string> = {},
  options: StartOptions = {},
  logTo?: (line: string) => void,
): TestParley => {
  const handle = {} as TestParley & { stop?: () => Promise<void> };
  beforeAll(async () => Object.assign(handle, await startTestParley(env, options, logTo)));
  afterAll(async () => {
    // the processes on its database stop first: dropping it ends their connections
    for (const stop of sharers.get(handle) ?? []) await stop();
    await handle.stop?.();
  });
  return handle;
};

/**
 * A second Parley process on the database of `first` (started by useTestParley), for races
 * across processes: within one process the stream locks would queue them instead.
 */
export const useSecondParley = (
  first: TestParley,
  env: Record<string, string> = {},
): TestParley => {
  const handle = {} as TestParley & { stop?: () => Promise<void> };
  beforeAll(async () =>
    Object.assign(
      handle,
      await startTestParley({ ...env, DATABASE_URL: first.deps.config.databaseUrl as string }),
    ),
  );
  // stopped by `first`'s afterAll, before it drops the database (hooks run in declaration order)
  sharers.set(first, [...(sharers.get(first) ?? []), async () => handle.stop?.()]);
  return handle;
};
