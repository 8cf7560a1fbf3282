import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // the server may run as another user (postgres, when Parley runs as root)
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * The embedded PostgreSQL already running on `dataDir` (started by `npm start`), as a
 * connection string; null when none runs. A second server cannot share the data directory,
 * but a second client can share the server: the projections CLI uses this while Parley runs.
 */
export const runningEmbeddedUrl = async (
  dataDir: string,
  database = 'parley',
): Promise<string | null> => {
  const root = path.resolve(dataDir);
  const pidFile = path.join(root, 'postgres', 'postmaster.pid');
  const credentialsFile = path.join(root, 'postgres.json');
  if (!existsSync(pidFile) || !existsSync(credentialsFile)) return null;
  // postmaster.pid: pid, data directory, start time, port, socket directory, listen address, …
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || port <= 0 || !isAlive(pid)) return null;
  const { user, password } = JSON.parse(await readFile(credentialsFile, 'utf8')) as {
    user: string;
    password: string;
  };
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
};
