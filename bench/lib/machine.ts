import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { Client } from 'pg';

export type Machine = Readonly<{
  cpus: number;
  cpuModel: string;
  ramGiB: number;
  os: string;
  node: string;
  postgres: string;
  /** what "durable" means in these figures */
  postgresSettings: Readonly<Record<string, string>>;
  loadAverageAtStart: readonly number[];
}>;

const SETTINGS = [
  'synchronous_commit',
  'fsync',
  'full_page_writes',
  'wal_sync_method',
  'commit_delay',
  'shared_buffers',
  'max_connections',
] as const;

export const loadAverage = (): number[] => loadavg().map((l) => Math.round(l * 100) / 100);

export const describeMachine = async (connectionString: string): Promise<Machine> => {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const version =
      (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]
        ?.server_version ?? '?';
    const settings: Record<string, string> = {};
    for (const name of SETTINGS)
      settings[name] =
        (await client.query<Record<string, string>>(`SHOW ${name}`)).rows[0]?.[name] ?? '?';
    return {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? '?',
      ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      os: `${process.platform} ${release()}`,
      node: process.version,
      postgres: version,
      postgresSettings: settings,
      loadAverageAtStart: loadAverage(),
    };
  } finally {
    await client.end();
  }
};

/** The commit the figures belong to, and whether the tree had changes on top of it. */
export const gitDescription = (): { commit: string; dirty: boolean } => {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src', 'bench'], {
      encoding: 'utf8',
    });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
};
