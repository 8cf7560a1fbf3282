import type { LoadResult } from '../load/httpLoad';
import type { BenchContext } from '../lib/context';
import { perUnit, type CpuMeter } from '../lib/cpu';
import { startParleyProcess, type ParleyProcess } from '../lib/parleyProcess';
import { round } from '../lib/stats';
import { waitForProjections } from './lagProbe';

export type NotaryCost = Readonly<{
  /** full-load messages/s of each phase with the audit notary on, in order */
  on: readonly number[];
  /** the same load, Parley restarted with AUDIT_NOTARY=false, in order */
  off: readonly number[];
  /** 1 - mean(on) / mean(off); SPEC §7 wants it under 0.10 */
  cost: number;
  /**
   * Parley's and PostgreSQL's CPU ms per message, mean over the phases: less swayed than the
   * rate by what else the machine runs
   */
  cpuMsPerMessage: Readonly<{ on: number; off: number }>;
}>;

type Phase = (stream: string, mode: 'max', durationS: number, rate: null) => Promise<LoadResult>;

const mean = (values: readonly number[]): number =>
  values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * The notary's cost to the inbound rate, in the inbound section's run: phases with Parley
 * restarted without the notary and with it, alternating (off, on, off, on) so that a drift of
 * the machine over the run weighs on both sides. `restart` swaps the Parley the phases load.
 */
export const measureNotaryCost = async (
  bench: BenchContext,
  databaseUrl: string,
  phase: Phase,
  restart: (start: () => Promise<ParleyProcess>) => Promise<void>,
  meter: () => CpuMeter,
  rounds = 2,
): Promise<NotaryCost> => {
  const { options } = bench;
  const results = { on: [] as number[], off: [] as number[] };
  const cpu = { on: [] as number[], off: [] as number[] };
  for (let i = 0; i < rounds * 2; i++) {
    const notary = i % 2 === 1;
    const name = notary ? 'on' : 'off';
    bench.log(
      `audit notary ${name}: ${options.warmupS} s warm-up, ${options.durationS} s at full load`,
    );
    await restart(() =>
      startParleyProcess({
        databaseUrl,
        poolSize: options.poolSize,
        env: { AUDIT_NOTARY: String(notary) },
      }),
    );
    // the notary first catches up on what was written without it
    if (notary) await waitForProjections(databaseUrl, 10 * 60_000);
    // phase names seed the mix: a different one each time
    await phase(`${'pqrstuvw'[i]}-warm-${name}`, 'max', options.warmupS, null);
    const used = meter();
    const load = await phase(`${'ijklmnox'[i]}-${name}`, 'max', options.durationS, null);
    const share = perUnit(used.stop(), load.ok);
    results[name].push(round(load.throughput, 1));
    cpu[name].push((share.parley ?? 0) + (share.postgres ?? 0));
  }
  return {
    ...results,
    cost: round(1 - mean(results.on) / mean(results.off), 3),
    cpuMsPerMessage: { on: round(mean(cpu.on), 3), off: round(mean(cpu.off), 3) },
  };
};
