import { ProjectionMonitor } from '../../projections/projectionMonitor';
import { ProjectionRunner } from '../../projections/runner/projectionRunner';
import type { ParleyDeps, Worker } from '../parleyDeps';
import { checkpointsAfter, notaryHead } from './auditTables';
import { checkpointSigner } from './checkpointSigner';
import { notaryProjection } from './notary';

/** How often the notary's head is signed: the larger part of the tail-deletion window. */
export const SIGNING_INTERVAL_MS = 1_000;

export type AuditModule = Readonly<{
  workers: readonly Worker[];
  /** for /readyz: where the notary stands and how recent the last signature is */
  readiness: () => Promise<Record<string, unknown>>;
}>;

/**
 * The notary (on the projection runner: one active process, resumes from its checkpoint) and
 * the checkpoint signer. The signer is listed first: workers stop in reverse, so it signs the
 * notary's last batch after the notary has stopped.
 */
export const auditModuleFor = (deps: ParleyDeps): AuditModule => {
  // digests of the log as stored (sealed): destroying a data key never breaks verification
  const { pool, storedEvents: store, clock, logger } = deps;
  const projection = notaryProjection();
  const runner = new ProjectionRunner({
    pool,
    store,
    projection,
    log: logger.child({ worker: `projection:${projection.name}` }),
  });
  const monitor = new ProjectionMonitor({ pool, store, clock }, [projection], () =>
    deps.config.audit.notary ? [runner.status()] : [],
  );
  const workers: Worker[] = [
    checkpointSigner({
      pool,
      key: deps.auditKey,
      clock,
      intervalMs: SIGNING_INTERVAL_MS,
      log: logger.child({ worker: 'audit:checkpoint-signer' }),
    }),
    { name: `projection:${runner.name}`, start: () => runner.start(), stop: () => runner.stop() },
  ];

  const readiness = async (): Promise<Record<string, unknown>> => {
    try {
      const [report] = await monitor.reports();
      const head = await notaryHead(pool);
      let signed: { seq: bigint; payload: string } | null = null;
      for await (const checkpoint of checkpointsAfter(pool, head.seq - 1n)) signed = checkpoint;
      return {
        audit: {
          notary_here: deps.config.audit.notary,
          active_here: report?.here?.active ?? false,
          checkpoint: report?.checkpoint ?? null,
          events_behind: report?.lag.eventsBehind ?? null,
          seconds_behind:
            report === undefined ? null : Math.round(report.lag.secondsBehind * 1000) / 1000,
          events_notarized: head.seq.toString(),
          // the last record is signed once a checkpoint at its seq exists
          head_signed: signed !== null,
          last_error: report?.here?.lastError ?? null,
        },
      };
    } catch (error) {
      return { audit_error: error instanceof Error ? error.message : String(error) };
    }
  };

  return { workers: deps.config.audit.notary ? workers : [], readiness };
};
