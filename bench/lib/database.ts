import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/infrastructure/postgres/embedded';

/** A PostgreSQL server for one bench run and a way to make fresh databases on it. */
export type BenchServer = Readonly<{
  embedded: boolean;
  /** the embedded cluster's directory (for its CPU time), null on an external server */
  clusterDir: string | null;
  /** a new, empty database; dropped by `close` */
  createDatabase(label: string): Promise<string>;
  close(): Promise<void>;
}>;

export type ServerOptions = Readonly<{
  /** DATABASE_URL: an external server; the bench makes (and drops) its own databases there */
  databaseUrl: string | null;
  /** fsync and synchronous_commit on, as in production (the default) */
  durable: boolean;
  /** load pg_stat_statements (bench-only) so that `--statements` can report the top queries */
  statements: boolean;
}>;

const withDatabase = (url: string, database: string): string => {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
};

export const startBenchServer = async (options: ServerOptions): Promise<BenchServer> => {
  let adminUrl: string;
  let stopServer = async (): Promise<void> => undefined;
  let clusterDir: string | null = null;
  if (options.databaseUrl !== null) {
    adminUrl = options.databaseUrl;
  } else {
    // a fresh cluster every run: figures never depend on what an earlier run left behind
    const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-bench-'));
    const server = await startEmbeddedPostgres({
      dataDir,
      durable: options.durable,
      database: 'postgres',
      // planning tracked too: a statement planned at every call is CPU spent before running it
      settings: options.statements
        ? {
            shared_preload_libraries: 'pg_stat_statements',
            'pg_stat_statements.track_planning': 'on',
          }
        : {},
    });
    adminUrl = server.connectionString;
    clusterDir = path.join(dataDir, 'postgres');
    stopServer = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const created: string[] = [];
  const admin = async (sql: string): Promise<void> => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    embedded: options.databaseUrl === null,
    clusterDir,
    createDatabase: async (label) => {
      const name = `parley_bench_${label}_${randomBytes(4).toString('hex')}`;
      await admin(`CREATE DATABASE ${name}`);
      created.push(name);
      return withDatabase(adminUrl, name);
    },
    close: async () => {
      for (const name of created.splice(0))
        await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await stopServer();
    },
  };
};

/** `run` on a connection of its own to `databaseUrl`, closed afterwards: the bench's one-off reads. */
export const withClient = async <T>(
  databaseUrl: string,
  run: (client: Client) => Promise<T>,
): Promise<T> => {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
};
