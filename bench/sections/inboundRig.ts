import { inboundPhases } from '../load/inboundPhases';
import type { LoadResult } from '../load/httpLoad';
import type { Population } from '../load/mix';
import { benchScript, startChild, type Child } from '../lib/child';
import type { BenchContext } from '../lib/context';
import { postgresCpuMs, processCpuMs, startCpuMeter, type CpuMeter } from '../lib/cpu';
import { startParleyProcess, type ParleyProcess } from '../lib/parleyProcess';
import { seedPopulation } from '../seed/population';
import { createBenchChannel } from './benchChannel';

/** A phase of the inbound mix: its stream name (seeds the mix), mode, seconds and rate. */
export type Phase = (
  stream: string,
  mode: 'max' | 'rate',
  durationS: number,
  rate: number | null,
) => Promise<LoadResult>;

/**
 * What the inbound and feature-cost sections load: a Parley on a fresh database with a seeded
 * population, the load process, and a CPU meter over Parley, PostgreSQL and the load.
 */
export type InboundRig = Readonly<{
  databaseUrl: string;
  /** the Parley loaded */
  parley: () => ParleyProcess;
  endpoint: string;
  population: Population;
  seeded: Readonly<{ requests: number; seconds: number }>;
  load: Child;
  phase: Phase;
  phases: ReturnType<typeof inboundPhases>;
  meter: () => CpuMeter;
  stop: () => Promise<void>;
}>;

/**
 * Merge pairs enough for `fullLoadSeconds` of the mix at full load: a tenth of its messages
 * merge a pair, at up to ~350 messages/s here, and a fifth more. Once they ran out, the mix's
 * merges turned into cheaper messages part way through a run (the feature costs' phases sped
 * up 160 → 300 messages/s from one toggle to the next, the seeded 2,000 pairs used up).
 */
export const mergePairsFor = (fullLoadSeconds: number): number =>
  Math.ceil(fullLoadSeconds * 350 * 0.1 * 1.2);

/** the seconds at full load of a feature's cost phases (see measureNotaryCost) */
export const costPhaseSeconds = (options: BenchContext['options']): number =>
  2 * options.costRounds * options.durationS;

export const startInboundRig = async (
  bench: BenchContext,
  database: string,
  fullLoadSeconds: number,
): Promise<InboundRig> => {
  const { options } = bench;
  const databaseUrl = await bench.server.createDatabase(database);
  const parley = await startParleyProcess({ databaseUrl, poolSize: options.poolSize });
  const load = startChild(benchScript('load/inboundChild.js'));
  const stop = async (): Promise<void> => {
    await load.stop();
    await parley.stop();
  };
  try {
    const { endpoint } = await createBenchChannel(parley);
    const population: Population = {
      customers: options.customers,
      mergePairs: Math.max(options.mergePairs, mergePairsFor(fullLoadSeconds)),
    };
    bench.log(
      `seeding ${population.customers} customers and ${population.mergePairs} merge pairs through HTTP`,
    );
    const seeded = await seedPopulation(parley.url, endpoint, population);
    const postgresCpu = postgresCpuMs(bench.server.clusterDir);
    const phases = inboundPhases(load, () => ({
      url: parley.url,
      path: endpoint,
      connections: options.connections,
      population,
    }));
    return {
      databaseUrl,
      parley: () => parley,
      endpoint,
      population,
      seeded,
      load,
      phase: phases.run,
      phases,
      meter: () =>
        startCpuMeter({
          parley: () => processCpuMs(parley.pid),
          postgres: postgresCpu,
          load: () => processCpuMs(load.process.pid ?? 0),
        }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
