import type { LoadResult } from '../load/httpLoad';
import type { BenchContext } from '../lib/context';
import { perUnit, type CpuMeter } from '../lib/cpu';
import { startParleyProcess, type ParleyProcess } from '../lib/parleyProcess';
import { round } from '../lib/stats';
import { waitForProjections } from './lagProbe';

export type NotaryCost = Readonly<{
  /** full-load messages/s of each phase with the feature on, in order */
  on: readonly number[];
  /** the same load, Parley restarted with the feature off (AUDIT_NOTARY=false, …), in order */
  off: readonly number[];
  /** 1 - mean(on) / mean(off); SPEC §7 wants it under 0.10 for the notary, §8 under 0.15 for encryption */
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

/** A feature whose cost to the inbound rate is measured: its name and the switch that turns it on or off. */
export type Toggle = Readonly<{
  name: string;
  env: (on: boolean) => Record<string, string>;
  /** the notary first catches up on what was written without it */
  catchUp: boolean;
}>;

export const NOTARY_TOGGLE: Toggle = {
  name: 'audit notary',
  env: (on) => ({ AUDIT_NOTARY: String(on) }),
  catchUp: true,
};

/** Sealing personal fields (SPEC §8); PRIVACY_ENCRYPTION=false is a bench switch only. */
export const ENCRYPTION_TOGGLE: Toggle = {
  name: 'privacy encryption',
  env: (on) => ({ PRIVACY_ENCRYPTION: String(on) }),
  catchUp: false,
};

/**
 * A feature's cost to the inbound rate, in the inbound section's run: phases with Parley
 * restarted without the feature and with it, alternating (off, on, off, on) so that a drift of
 * the machine over the run weighs on both sides. `restart` swaps the Parley the phases load.
 */
export const measureNotaryCost = async (
  bench: BenchContext,
  databaseUrl: string,
  phase: Phase,
  restart: (start: () => Promise<ParleyProcess>) => Promise<void>,
  meter: () => CpuMeter,
  rounds = 2,
  toggle: Toggle = NOTARY_TOGGLE,
): Promise<NotaryCost> => {
  const { options } = bench;
  const results = { on: [] as number[], off: [] as number[] };
  const cpu = { on: [] as number[], off: [] as number[] };
  for (let i = 0; i < rounds * 2; i++) {
    const on = i % 2 === 1;
    const name = on ? 'on' : 'off';
    bench.log(
      `${toggle.name} ${name}: ${options.warmupS} s warm-up, ${options.durationS} s at full load`,
    );
    await restart(() =>
      startParleyProcess({
        databaseUrl,
        poolSize: options.poolSize,
        env: toggle.env(on),
      }),
    );
    if (on && toggle.catchUp) await waitForProjections(databaseUrl, 10 * 60_000);
    // phase names seed the mix: a different one each time
    const tag = toggle === NOTARY_TOGGLE ? '' : 'e';
    await phase(`${tag}${'pqrstuvw'[i]}-warm-${name}`, 'max', options.warmupS, null);
    const used = meter();
    const load = await phase(`${tag}${'ijklmnox'[i]}-${name}`, 'max', options.durationS, null);
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
