import { spawn } from 'node:child_process';
import path from 'node:path';
import { allProjections } from '../../src/projections/allProjections';
import type { BenchContext } from '../lib/context';
import { BENCH_MASTER_KEY } from '../lib/parleyProcess';
import { round } from '../lib/stats';
import type { SeededLog } from './eventLog';
import type { CatchUp, LogStage } from './logStage';

type Rate = Readonly<{ events: number; seconds: number; eventsPerSecond: number }>;

export type ProjectionsSection = Readonly<{
  status: 'ok';
  log: Omit<SeededLog, 'databaseUrl'>;
  /** Parley's live runners, every projection at once, from position 0 */
  catchUp: CatchUp;
  /** `npm run projections -- rebuild <name>` while Parley runs, one projection at a time */
  rebuild: Readonly<Record<string, Rate>>;
  /** the slowest projection's rebuild rate: what the target is about */
  slowestRebuild: Readonly<{ projection: string; eventsPerSecond: number }>;
}>;

/** The projections CLI as an operator runs it, in a process of its own. */
const rebuildWithCli = (databaseUrl: string, projection: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const cli = spawn(
      process.execPath,
      [path.join(__dirname, '..', '..', 'scripts', 'projections.js'), 'rebuild', projection],
      {
        // the running Parley's master key: the CLI opens the same sealed secrets
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          LOG_LEVEL: 'warn',
          PARLEY_MASTER_KEY: BENCH_MASTER_KEY,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    cli.stderr.on(
      'data',
      (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)),
    );
    cli.on('error', reject);
    cli.on('exit', (code) =>
      code === 0
        ? resolve((performance.now() - started) / 1000)
        : reject(new Error(`projections rebuild ${projection} exited ${code}: ${stderr}`)),
    );
  });

export const runProjections = async (
  bench: BenchContext,
  stage: LogStage,
): Promise<ProjectionsSection> => {
  const rebuild: Record<string, Rate> = {};
  for (const projection of allProjections) {
    bench.log(`projections: npm run projections -- rebuild ${projection.name}`);
    const seconds = await rebuildWithCli(stage.log.databaseUrl, projection.name);
    rebuild[projection.name] = {
      events: stage.log.events,
      seconds: round(seconds, 1),
      eventsPerSecond: Math.round(stage.log.events / seconds),
    };
  }
  const [slowest] = Object.entries(rebuild).sort(
    (a, b) => a[1].eventsPerSecond - b[1].eventsPerSecond,
  );
  const { databaseUrl: _url, ...log } = stage.log;
  return {
    status: 'ok',
    log,
    catchUp: stage.catchUp,
    rebuild,
    slowestRebuild: {
      projection: slowest?.[0] ?? '',
      eventsPerSecond: slowest?.[1].eventsPerSecond ?? 0,
    },
  };
};
