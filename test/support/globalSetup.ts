import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/infrastructure/postgres/embedded';

/**
 * One PostgreSQL server for the whole run: the embedded one (as `npm start` uses), or the
 * server DATABASE_URL names. Each test file then makes its own database (test/support/database.ts).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.PARLEY_TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-test-'));
  const server = await startEmbeddedPostgres({ dataDir, durable: false, database: 'parley_test' });
  process.env.PARLEY_TEST_DATABASE_URL = server.connectionString;
  (globalThis as Record<string, unknown>).__parleyTestPostgres = { server, dataDir };
}
