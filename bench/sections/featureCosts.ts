import type { BenchContext } from '../lib/context';
import { costPhaseSeconds, startInboundRig } from './inboundRig';
import { waitForProjections } from './lagProbe';
import { ENCRYPTION_TOGGLE, measureNotaryCost, NOTARY_TOGGLE, type NotaryCost } from './notaryCost';

export type FeatureCostsSection = Readonly<{
  status: 'ok';
  /** pairs of phases (off, on) per feature */
  rounds: number;
  notary: NotaryCost;
  encryption: NotaryCost;
}>;

/**
 * `npm run bench -- costs`: the audit notary's and privacy encryption's cost to the inbound
 * rate, measured as in the inbound section but without its other phases, so that several runs
 * of more rounds (`--cost-rounds`) fit where one inbound run did.
 */
export const runFeatureCosts = async (bench: BenchContext): Promise<FeatureCostsSection> => {
  const { options } = bench;
  const rig = await startInboundRig(
    bench,
    'costs',
    options.warmupS + 2 * costPhaseSeconds(options),
  );
  try {
    bench.log(`warm-up: ${options.warmupS} s at full load`);
    await rig.phase('warm', 'max', options.warmupS, null);
    await waitForProjections(rig.databaseUrl, 10 * 60_000);
    const notary = await measureNotaryCost(bench, rig, NOTARY_TOGGLE);
    const encryption = await measureNotaryCost(bench, rig, ENCRYPTION_TOGGLE);
    return { status: 'ok', rounds: options.costRounds, notary, encryption };
  } finally {
    await rig.stop();
  }
};
