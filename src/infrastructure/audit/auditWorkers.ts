import { ProjectionRunner } from '../../projections/runner/projectionRunner';
import type { ParleyDeps, Worker } from '../parley';
import { checkpointSigner } from './checkpointSigner';
import { notaryProjection } from './notary';

/** How often the notary's head is signed: the larger part of the tail-deletion window. */
export const SIGNING_INTERVAL_MS = 1_000;

/**
 * The notary (on the projection runner: one active process, resumes from its checkpoint) and
 * the checkpoint signer. Listed signer first: workers stop in reverse, so the signer signs
 * the notary's last batch after the notary has stopped.
 */
export const auditWorkers = (deps: ParleyDeps): Worker[] => {
  if (!deps.config.audit.notary) return [];
  const runner = new ProjectionRunner({
    pool: deps.pool,
    store: deps.store,
    projection: notaryProjection,
    log: deps.logger.child({ worker: `projection:${notaryProjection.name}` }),
  });
  return [
    checkpointSigner({
      pool: deps.pool,
      key: deps.auditKey,
      clock: deps.clock,
      intervalMs: SIGNING_INTERVAL_MS,
      log: deps.logger.child({ worker: 'audit:checkpoint-signer' }),
    }),
    { name: `projection:${runner.name}`, start: () => runner.start(), stop: () => runner.stop() },
  ];
};
