import path from 'node:path';
import type { BaselineResult, BaselineRun } from '../load/baselineChild';
import type { LoadResult } from '../load/httpLoad';
import type { Population } from '../load/mix';
import { benchScript, startChild } from '../lib/child';
import type { BenchContext } from '../lib/context';
import { perUnit, postgresCpuMs, processCpuMs, startCpuMeter, type CpuShare } from '../lib/cpu';
import { settler } from '../lib/settle';
import { round } from '../lib/stats';
import { startLagProbe, waitForProjections, type LagSummary } from './lagProbe';
import { costPhaseSeconds, startInboundRig } from './inboundRig';
import { ENCRYPTION_TOGGLE, measureNotaryCost, type NotaryCost } from './notaryCost';
import { readStatements, resetStatements, type StatementProfile } from './statements';
import { statementsPerKind, type KindStatements } from './statementsPerKind';
import { measureRateLimitCost, type RateLimitCost } from './rateLimitCost';
import { explainAppends, type AppendPlan } from '../tools/explainAppend';
import { describeWaits, startWaitSampler, type WaitSummary } from '../tools/pgWaits';

export type InboundSection = Readonly<{
  status: 'ok';
  population: Population & { seedRequests: number; seedSeconds: number };
  full: LoadResult & { cpuMsPerMessage: CpuShare };
  half: LoadResult & { cpuMsPerMessage: CpuShare };
  baseline: Omit<BaselineResult, 'type'> & { cpuMsPerInsert: CpuShare };
  /** inbound messages/s at full load over baseline INSERT transactions/s */
  ratio: number;
  merges: Readonly<{ used: number; missed: number }>;
  /** how far behind the log the projections were during each phase */
  lag: LagSummary;
  lagAtHalfLoad: LagSummary;
  /** pg_stat_statements over the full-load phase (--statements) */
  statements: StatementProfile | null;
  /** the backends' wait events over the full-load phase, and the appends' plans after it (--waits) */
  waits?: (WaitSummary & { appendPlans: readonly AppendPlan[] }) | null;
  /** Parley and PostgreSQL with no load, the read side at the head: what costs per second */
  idle: IdleCost;
  /** statements per message of each kind, warm caches, one request at a time (--statements) */
  statementsPerKind?: readonly KindStatements[] | null;
  /** full-load rate with the audit notary on and off */
  notary: NotaryCost;
  /** full-load rate with personal fields sealed and not (PRIVACY_ENCRYPTION) */
  encryption: NotaryCost;
  /** what RATE_LIMIT_* adds per request (the load above runs with it off) */
  rateLimit: RateLimitCost;
}>;

export type IdleCost = Readonly<{
  seconds: number;
  cpuMsPerSecond: CpuShare;
  /** pg_stat_statements over the idle time (--statements) */
  statements: StatementProfile | null;
}>;

/** long enough for every consumer's poll and idle check (500 ms each) to come round often */
const IDLE_S = 5;

export const runInbound = async (bench: BenchContext): Promise<InboundSection> => {
  const { options } = bench;
  // warm-up, full load, half load (half the rate), and the two features' cost phases
  const rig = await startInboundRig(
    bench,
    'inbound',
    options.warmupS + 1.5 * options.durationS + 2 * costPhaseSeconds(options),
  );
  const { databaseUrl, population, seeded, meter, phases, phase, endpoint } = rig;
  try {
    const parley = rig.parley();
    // as before each cost phase: the seeding grew the store twentyfold in a minute, before
    // autovacuum had analyzed it, and Parley's connections had planned the appends on the
    // small store's statistics (a sequential scan of event_store.streams in every append
    // that relies on cached streams: 87 % of PostgreSQL's time at full load, 7.7 ms a call)
    const settle = settler(bench.log, databaseUrl);
    await settle();
    bench.log(`warm-up: ${options.warmupS} s at full load`);
    await phase('warm', 'max', options.warmupS, null);
    // the lag under load is measured from a read side that is up to date
    await waitForProjections(databaseUrl, 10 * 60_000);
    bench.log(`idle: ${IDLE_S} s with no load`);
    if (options.statements) await resetStatements(databaseUrl);
    const idleCpu = meter();
    await new Promise((resolve) => setTimeout(resolve, IDLE_S * 1000));
    const idle: IdleCost = {
      seconds: IDLE_S,
      cpuMsPerSecond: perUnit(idleCpu.stop(), IDLE_S),
      statements: options.statements ? await readStatements(databaseUrl) : null,
    };
    await settle();
    let perKind: KindStatements[] | null = null;
    if (options.statements) {
      bench.log('statements per kind of message (pg_stat_statements), one request at a time');
      const pairs = phases.reserve(25);
      perKind = await statementsPerKind(databaseUrl, {
        parleyUrl: parley.url,
        endpoint,
        customers: population.customers,
        mergeFrom: pairs.from,
        mergeTo: pairs.to,
      });
      await waitForProjections(databaseUrl, 10 * 60_000);
      await resetStatements(databaseUrl);
    }

    bench.log(`full load: ${options.durationS} s, ${options.connections} connections`);
    const probe = await startLagProbe(databaseUrl);
    if (options.profileDir !== null) await parley.profile('start');
    const sampler = options.waits ? await startWaitSampler(databaseUrl) : null;
    const fullCpu = meter();
    const full = await phase('full', 'max', options.durationS, null);
    const fullCpuMs = fullCpu.stop();
    const waits = sampler === null ? null : await sampler.stop();
    if (options.profileDir !== null) {
      const file = path.join(options.profileDir, 'inbound-full.cpuprofile');
      await parley.profile('stop', file);
      bench.log(`CPU profile of the full-load phase: ${file}`);
    }
    const lag = await probe.stop();
    const statements = options.statements ? await readStatements(databaseUrl) : null;
    let waitsAndPlans: InboundSection['waits'] = null;
    if (waits !== null) {
      for (const line of describeWaits(waits)) bench.log(`waits at full load: ${line}`);
      // a diagnosis: its failure must not cost the section its figures
      const appendPlans = await explainAppends(databaseUrl).catch((error: unknown) => {
        bench.log(`EXPLAIN of the appends failed: ${String(error)}`);
        return [];
      });
      for (const p of appendPlans)
        bench.log(
          `EXPLAIN ${p.statement}, ${p.planCacheMode}: median ${p.executionMs} ms\n${p.plan}`,
        );
      waitsAndPlans = { ...waits, appendPlans };
    }

    const rate = Math.max(1, Math.round(full.throughput / 2));
    bench.log(`half load: ${options.durationS} s at ${rate} messages/s`);
    await waitForProjections(databaseUrl, 10 * 60_000);
    await settle();
    const halfProbe = await startLagProbe(databaseUrl);
    const halfCpu = meter();
    const half = await phase('half', 'rate', options.durationS, rate);
    const halfCpuMs = halfCpu.stop();
    const lagAtHalfLoad = await halfProbe.stop();

    const notary = await measureNotaryCost(bench, rig);
    const encryption = await measureNotaryCost(bench, rig, ENCRYPTION_TOGGLE);

    bench.log(
      `baseline: ${options.durationS} s of single-row INSERTs, ${options.connections} callers`,
    );
    const baselineProcess = startChild(benchScript('load/baselineChild.js'));
    const baselineRun: BaselineRun = {
      type: 'run',
      databaseUrl,
      poolSize: options.poolSize,
      connections: options.connections,
      durationS: options.durationS,
    };
    const baselineCpu = startCpuMeter({
      baseline: () => processCpuMs(baselineProcess.process.pid ?? 0),
      postgres: postgresCpuMs(bench.server.clusterDir),
    });
    baselineProcess.send(baselineRun);
    const { type: _type, ...baseline } = await baselineProcess.next<BaselineResult>('result');
    const baselineCpuMs = baselineCpu.stop();
    await baselineProcess.stop();

    bench.log('rate limit cost per request: shared buckets, lease 10 and 1, and in memory');
    const rateLimit = await measureRateLimitCost(databaseUrl, bench.server.clusterDir);

    return {
      status: 'ok',
      population: {
        ...population,
        seedRequests: seeded.requests,
        seedSeconds: round(seeded.seconds, 1),
      },
      full: { ...full, cpuMsPerMessage: perUnit(fullCpuMs, full.ok) },
      half: { ...half, cpuMsPerMessage: perUnit(halfCpuMs, half.ok) },
      baseline: { ...baseline, cpuMsPerInsert: perUnit(baselineCpuMs, baseline.transactions) },
      ratio: round(full.throughput / baseline.perSecond, 3),
      merges: phases.merges(),
      lag,
      lagAtHalfLoad,
      statements,
      waits: waitsAndPlans,
      idle,
      statementsPerKind: perKind,
      notary,
      encryption,
      rateLimit,
    };
  } finally {
    await rig.stop();
  }
};
