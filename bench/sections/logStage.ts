import path from 'node:path';
import type { BenchContext } from '../lib/context';
import { postgresCpuMs, processCpuMs, startCpuMeter } from '../lib/cpu';
import { startParleyProcess, type ParleyProcess } from '../lib/parleyProcess';
import { round } from '../lib/stats';
import { seedBigLog, type SeededLog } from './eventLog';
import { waitForProjections } from './lagProbe';

/** The big log, with a Parley on it whose projection runners have applied all of it. */
export type LogStage = Readonly<{
  log: SeededLog;
  parley: ParleyProcess;
  /** the live runners (all projections at once, in Parley's process) from position 0 */
  catchUp: CatchUp;
}>;

type Rate = Readonly<{ events: number; seconds: number; eventsPerSecond: number }>;

export type CatchUp = Rate &
  Readonly<{
    /** each consumer's own: the log's events over the time it took that one to reach the head */
    byConsumer: Readonly<Record<string, Rate>>;
    /** CPU seconds the catch-up took: is it Parley's one event loop, or PostgreSQL? */
    cpuSeconds: Readonly<{ parley: number | null; postgres: number | null }>;
  }>;

const rateOf = (events: number, ms: number): Rate => ({
  events,
  seconds: round(ms / 1000, 1),
  eventsPerSecond: Math.round(events / (ms / 1000)),
});

export const startLogStage = async (bench: BenchContext): Promise<LogStage> => {
  const log = await seedBigLog(bench);
  bench.log(`projections: Parley starts on ${log.events} events; its runners catch up from 0`);
  const parley = await startParleyProcess({
    databaseUrl: log.databaseUrl,
    poolSize: bench.options.poolSize,
  });
  try {
    if (bench.options.profileDir !== null) await parley.profile('start');
    const postgresCpu = postgresCpuMs(bench.server.clusterDir);
    const cpu = startCpuMeter({ parley: () => processCpuMs(parley.pid), postgres: postgresCpu });
    let arrivals: ReadonlyMap<string, number> = new Map();
    const ms = await waitForProjections(log.databaseUrl, 30 * 60_000, (atHead, of, arrived) => {
      arrivals = new Map(arrived);
      // a read now and then counts what backends that exit meanwhile used
      postgresCpu();
      bench.log(
        `  … ${atHead} of ${of} consumers at the head of the log (${[...arrived]
          .map(([name, at]) => `${name} ${round(at / 1000, 1)} s`)
          .join(', ')})`,
      );
    });
    const used = cpu.stop();
    const seconds = (cpuMs: number | null | undefined) =>
      cpuMs === null || cpuMs === undefined ? null : round(cpuMs / 1000, 1);
    if (bench.options.profileDir !== null) {
      const file = path.join(bench.options.profileDir, 'catch-up.cpuprofile');
      await parley.profile('stop', file);
      bench.log(`CPU profile of the catch-up: ${file}`);
    }
    return {
      log,
      parley,
      catchUp: {
        ...rateOf(log.events, ms),
        byConsumer: Object.fromEntries(
          [...arrivals].map(([name, at]) => [name, rateOf(log.events, at)]),
        ),
        cpuSeconds: { parley: seconds(used.parley), postgres: seconds(used.postgres) },
      },
    };
  } catch (error) {
    await parley.stop();
    throw error;
  }
};
