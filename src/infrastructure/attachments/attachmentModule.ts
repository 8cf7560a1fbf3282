import { createHmac } from 'node:crypto';
import type { Pool } from 'pg';
import {
  attachmentLinks,
  type AttachmentLinks,
} from '../../application/attachments/attachmentLinks';
import type { AttachmentStorage } from '../../application/ports/attachmentStorage';
import { attachmentFetchQueueProjection } from '../../projections/attachments/fetchQueueProjection';
import { ProjectionRunner } from '../../projections/runner/projectionRunner';
import type { Config } from '../config';
import type { MasterKey } from '../keys/envelope';
import type { ParleyDeps, Worker } from '../parleyDeps';
import { attachmentFetchWorker } from './fetchWorker';
import { postgresAttachmentStorage } from './postgresAttachmentStorage';
import { s3AttachmentStorage } from './s3AttachmentStorage';

/** ATTACHMENT_STORAGE: PostgreSQL (the default) or S3-compatible object storage. */
export const attachmentStorageFor = (config: Config, pool: Pool): AttachmentStorage =>
  config.attachments.storage === 's3'
    ? s3AttachmentStorage(config.attachments.s3)
    : postgresAttachmentStorage(pool);

/**
 * Integrators' links are signed with ATTACHMENT_LINK_SECRET, or else a key derived from the
 * master key: every process that shares PARLEY_MASTER_KEY signs and checks alike.
 */
export const attachmentLinksFor = (
  config: Config,
  master: MasterKey,
  publicUrl: string,
): AttachmentLinks => {
  const secret =
    config.attachments.linkSecret === null
      ? createHmac('sha256', master.key).update('parley attachment links').digest()
      : Buffer.from(config.attachments.linkSecret, 'utf8');
  return attachmentLinks(secret, publicUrl, config.attachments.linkTtlSeconds);
};

/** The fetch queue (a projection, active in one process) and the fetch workers (in every one). */
export const attachmentWorkers = (deps: ParleyDeps): Worker[] => {
  const runner = new ProjectionRunner({
    pool: deps.pool,
    store: deps.store,
    projection: attachmentFetchQueueProjection,
    log: deps.logger.child({ worker: `projection:${attachmentFetchQueueProjection.name}` }),
  });
  const settings = deps.config.attachments;
  return [
    {
      name: `projection:${runner.name}`,
      start: () => runner.start(),
      stop: () => runner.stop(),
    },
    attachmentFetchWorker({
      pool: deps.pool,
      logger: deps.logger,
      attachments: {
        commands: deps.commands,
        storage: deps.attachmentStorage,
        subjectKeys: deps.subjectKeys,
      },
      guard: deps.webhookAddresses,
      maxBytes: settings.maxBytes,
      timeoutMs: settings.fetchTimeoutMs,
      schedule: settings.retryScheduleMs,
      concurrency: settings.fetchConcurrency,
      now: () => deps.clock.now(),
    }),
  ];
};
