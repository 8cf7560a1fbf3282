import path from 'node:path';
import type { BenchContext } from '../lib/context';
import { startParleyProcess, type ParleyProcess } from '../lib/parleyProcess';
import { round } from '../lib/stats';
import { seedBigLog, type SeededLog } from './eventLog';
import { waitForProjections } from './lagProbe';

/** The big log, with a Parley on it whose projection runners have applied all of it. */
export type LogStage = Readonly<{
  log: SeededLog;
  parley: ParleyProcess;
  /** the live runners (all projections at once, in Parley's process) from position 0 */
  catchUp: Readonly<{ events: number; seconds: number; eventsPerSecond: number }>;
}>;

export const startLogStage = async (bench: BenchContext): Promise<LogStage> => {
  const log = await seedBigLog(bench);
  bench.log(`projections: Parley starts on ${log.events} events; its runners catch up from 0`);
  const parley = await startParleyProcess({
    databaseUrl: log.databaseUrl,
    poolSize: bench.options.poolSize,
  });
  try {
    if (bench.options.profileDir !== null) await parley.profile('start');
    const ms = await waitForProjections(log.databaseUrl, 30 * 60_000, (atHead, of, arrived) =>
      bench.log(
        `  … ${atHead} of ${of} consumers at the head of the log (${[...arrived]
          .map(([name, at]) => `${name} ${round(at / 1000, 1)} s`)
          .join(', ')})`,
      ),
    );
    if (bench.options.profileDir !== null) {
      const file = path.join(bench.options.profileDir, 'catch-up.cpuprofile');
      await parley.profile('stop', file);
      bench.log(`CPU profile of the catch-up: ${file}`);
    }
    return {
      log,
      parley,
      catchUp: {
        events: log.events,
        seconds: round(ms / 1000, 1),
        eventsPerSecond: Math.round(log.events / (ms / 1000)),
      },
    };
  } catch (error) {
    await parley.stop();
    throw error;
  }
};
