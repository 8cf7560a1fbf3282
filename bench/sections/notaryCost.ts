import path from 'node:path';
import type { BenchContext } from '../lib/context';
import type { ParleyProcess } from '../lib/parleyProcess';
import { NOTARY } from '../../src/infrastructure/audit/notary';
import { consumerPause } from '../lib/consumerPause';
import { settler } from '../lib/settle';
import { round } from '../lib/stats';
import type { InboundRig } from './inboundRig';
import { waitForProjections } from './lagProbe';

/** One phase of full load, and the catch-up after it until the read side was at the head. */
export type NotaryPhase = Readonly<{
  notary: boolean;
  /** 2xx answers of the phase's load */
  messages: number;
  loadS: number;
  /** from the load's end until every consumer that runs (the notary too, when on) was at the head */
  catchUpS: number;
  /** messages / load time: what the load saw (the rate before the catch-up was counted) */
  loadRate: number;
  /** messages / (load + catch-up): what Parley keeps up with, its read side included */
  sustainedRate: number;
  /** the phase's messages that merged two contacts: the costliest kind, a tenth of the mix */
  merges: number;
  /** Parley's and PostgreSQL's CPU over load and catch-up, ms per message */
  cpuMsPerMessage: Readonly<{ parley: number; postgres: number; total: number }>;
}>;

/** A figure with the notary on and off (means over the phases) and what the notary costs. */
export type OnOff = Readonly<{ on: number; off: number; cost: number }>;

export type NotaryCost = Readonly<{
  phases: readonly NotaryPhase[];
  /**
   * Parley's and PostgreSQL's CPU, ms per message, while a resumed notary caught up alone on
   * the messages of the phase before (written without it), mean over the phases: the notary's
   * own work, which what else the machine runs sways far less than the rates
   */
  replayCpuMsPerMessage: number;
  /** cost 1 - on / off */
  loadRate: OnOff;
  /** cost 1 - on / off of the means over the phases */
  sustainedRate: OnOff;
  /** cost on / off - 1 */
  cpuMsPerMessage: OnOff;
  /**
   * 1 - on / off of the sustained rates of each pair of neighbouring phases (1st and 2nd, 3rd
   * and 4th, …): each pair ran within a minute, so the machine's slower swings weigh little
   */
  pairCosts: readonly number[];
  /** the median of pairCosts: the figure judged against the target (SPEC §7's 10 %, §8's 15 %) */
  cost: number;
}>;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

const mean = (values: readonly number[]): number =>
  values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);

const onOff = (
  phases: readonly NotaryPhase[],
  figure: (p: NotaryPhase) => number,
  cost: (on: number, off: number) => number,
): OnOff => {
  const on = mean(phases.filter((p) => p.notary).map(figure));
  const off = mean(phases.filter((p) => !p.notary).map(figure));
  return { on: round(on, 3), off: round(off, 3), cost: round(cost(on, off), 3) };
};

const CATCH_UP_TIMEOUT_MS = 10 * 60_000;

/** the first letter of a phase's stream seeds its mix: a different one for each phase */
const LOAD_STREAMS = 'ijklmnoxbc';

/** off, on, on, off, repeated: cancels a linear drift of the machine between the two sides */
const ABBA: readonly boolean[] = [false, true, true, false];

/**
 * How a feature is turned off and on between phases, in the one running Parley: a consumer of
 * the log paused (consumerPause.ts), or a switch of the process set. Restarted with the feature
 * off or on (AUDIT_NOTARY, PRIVACY_ENCRYPTION), each phase began with a cold process, and
 * phases with the same setting differed by up to a half: pairs of phases then measured the
 * restarts (costs of −18 to 31 % within one run), where in one process they agree within a few
 * points (docs/performance.md).
 */
export type FeatureSwitch =
  | Readonly<{ kind: 'pause'; consumer: string }>
  | Readonly<{ kind: 'process'; set: (parley: ParleyProcess, on: boolean) => Promise<void> }>;

/** A feature whose cost to the inbound rate is measured: its name and how it is switched. */
export type Toggle = Readonly<{
  name: string;
  switch: FeatureSwitch;
  /** the feature is the notary: off phases do not wait for it, on phases replay what it missed */
  notary: boolean;
}>;

export const NOTARY_TOGGLE: Toggle = {
  name: 'audit notary',
  switch: { kind: 'pause', consumer: NOTARY },
  notary: true,
};

/** Sealing personal fields (SPEC §8), switched in the process: the bench's switch only. */
export const ENCRYPTION_TOGGLE: Toggle = {
  name: 'privacy encryption',
  switch: { kind: 'process', set: (parley, on) => parley.setSealing(on) },
  notary: false,
};

/**
 * A feature's cost (the notary's, encryption's) to the inbound rate: `--cost-rounds` pairs of
 * phases with the feature off and on in the one running Parley (FeatureSwitch), in the order
 * off, on, on, off, repeated: a drift of the machine that is linear over the run then weighs
 * the same on both sides, where off, on, off, on puts every "on" later than its "off" (quiet
 * runs fell 175 → 103 messages/s phase by phase, which that order charged to the feature). The
 * judged cost is the median over the pairs of neighbouring phases, so one phase that a burst of
 * the machine's other work slowed moves it little; PostgreSQL is vacuumed and checkpointed
 * before each phase. A phase starts with its read side at the head and ends when it is back
 * there: at full load the notary (like the read models) falls behind, and work left for later
 * would otherwise count in no phase, or in the next one.
 */
export const measureNotaryCost = async (
  bench: BenchContext,
  rig: Pick<InboundRig, 'databaseUrl' | 'phase' | 'meter' | 'parley'>,
  toggle: Toggle = NOTARY_TOGGLE,
): Promise<NotaryCost> => {
  const { databaseUrl, phase, meter } = rig;
  const rounds = bench.options.costRounds;
  const settle = settler(bench.log, databaseUrl);
  const tag = toggle.name.replace(/\W+/g, '-');
  const { options } = bench;
  const parley = rig.parley();
  const phases: NotaryPhase[] = [];
  const replays: number[] = [];
  const { switch: turn } = toggle;
  const paused = turn.kind === 'pause' ? await consumerPause(databaseUrl, turn.consumer) : null;
  const set = async (on: boolean): Promise<void> => {
    if (turn.kind === 'process') await turn.set(parley, on);
    else if (on) await paused?.resume();
    // resolves once the consumer let go: it applies nothing of the phase
    else await paused?.pause();
  };
  // messages written since the notary last ran: what it catches up on
  let unnotarised = 0;
  // the notary's phases start with it at the head (the phases before ran with it), so that it
  // replays only ours
  await waitForProjections(
    databaseUrl,
    CATCH_UP_TIMEOUT_MS,
    undefined,
    toggle.notary ? 'wait' : 'ignore',
  );
  try {
    for (let i = 0; i < rounds * 2; i++) {
      const on = ABBA[i % ABBA.length] ?? false;
      // the field keeps its name: with the encryption toggle it says whether encryption was on
      const notary = on;
      const name = on ? 'on' : 'off';
      const notaryRuns = on || !toggle.notary;
      const atHead = () =>
        waitForProjections(
          databaseUrl,
          CATCH_UP_TIMEOUT_MS,
          undefined,
          notaryRuns ? 'wait' : 'ignore',
        );
      bench.log(`${toggle.name} ${name}: ${options.durationS} s at full load, catch-up`);
      await set(on);
      // the notary first catches up on what was written without it, alone
      const replay = meter();
      await atHead();
      const replayed = replay.stop();
      if (toggle.notary && on && unnotarised > 0)
        replays.push(((replayed.parley ?? 0) + (replayed.postgres ?? 0)) / unnotarised);
      await settle();
      if (options.profileDir !== null) await parley.profile('start');
      const used = meter();
      // a stream's first letter seeds the mix; the name is unique per toggle and phase, so a
      // phase's new references are new to the whole run
      const stream = `${LOAD_STREAMS[i % LOAD_STREAMS.length]}-${tag}-${name}${i}`;
      const load = await phase(stream, 'max', options.durationS, null);
      const loadEnded = Date.now();
      await atHead();
      const ended = Date.now();
      const cpu = used.stop();
      // load and catch-up, as the CPU figures: the phases on and off compare function by function
      if (options.profileDir !== null) {
        const file = path.join(options.profileDir, `${tag}-${name}-${i}.cpuprofile`);
        await parley.profile('stop', file);
        bench.log(`CPU profile of the phase: ${file}`);
      }
      unnotarised = notaryRuns ? 0 : unnotarised + load.ok;
      const per = (ms: number | null | undefined): number => (ms ?? 0) / Math.max(1, load.ok);
      const loadS = load.durationS;
      const catchUpS = (ended - loadEnded) / 1000;
      phases.push({
        notary,
        messages: load.ok,
        merges: load.kinds.merge ?? 0,
        loadS: round(loadS, 2),
        catchUpS: round(catchUpS, 2),
        loadRate: load.throughput,
        sustainedRate: round(load.ok / (loadS + catchUpS), 1),
        cpuMsPerMessage: {
          parley: round(per(cpu.parley), 3),
          postgres: round(per(cpu.postgres), 3),
          total: round(per(cpu.parley) + per(cpu.postgres), 3),
        },
      });
    }
  } finally {
    // the feature on again for whatever comes next (the notary catches up)
    await set(true);
    await paused?.close();
  }
  const pairCosts: number[] = [];
  for (let k = 0; k + 1 < phases.length; k += 2) {
    const pair = [phases[k], phases[k + 1]];
    const on = pair.find((p) => p?.notary)?.sustainedRate ?? 0;
    const off = pair.find((p) => p?.notary === false)?.sustainedRate ?? 0;
    pairCosts.push(1 - on / Math.max(off, 1e-9));
  }
  const sustainedRate = onOff(
    phases,
    (p) => p.sustainedRate,
    (on, off) => 1 - on / off,
  );
  return {
    phases,
    loadRate: onOff(
      phases,
      (p) => p.loadRate,
      (on, off) => 1 - on / off,
    ),
    sustainedRate,
    replayCpuMsPerMessage: round(mean(replays), 3),
    cpuMsPerMessage: onOff(
      phases,
      (p) => p.cpuMsPerMessage.total,
      (on, off) => on / off - 1,
    ),
    pairCosts: pairCosts.map((c) => round(c, 3)),
    cost: round(median(pairCosts), 3),
  };
};
