import { createHmac } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
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
import type { PayloadLinks } from '../../projections/outbox/payload';
import type { Resolve } from '../webhooks/urlGuard';
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

/** Links in webhook payloads live ATTACHMENT_LINK_TTL_SECONDS from the event's recorded time. */
export const payloadLinksOf =
  (links: AttachmentLinks): PayloadLinks =>
  (attachmentId, recordedAt) => {
    const expires = Math.floor(new Date(recordedAt).getTime() / 1000) + links.ttlSeconds;
    const expiresAt = new Date(expires * 1000);
    return { url: links.signedUrl(attachmentId, expiresAt), expiresAt: expiresAt.toISOString() };
  };

/**
 * Names in attachment URLs are resolved by c-ares (DNS queries of its own, with a timeout),
 * not getaddrinfo: a URL naming a host that does not answer would otherwise hold one of libuv's
 * four threads for as long as the system resolver waits, and the fetches of a few such URLs
 * would stall everything else that needs those threads (file reads, `localhost` lookups).
 */
export const queryingResolve = (): Resolve => {
  const resolver = new Resolver({ timeout: 3_000, tries: 2 });
  return async (hostname) => {
    const [v4, v6] = await Promise.allSettled([
      resolver.resolve4(hostname),
      resolver.resolve6(hostname),
    ]);
    const addresses = [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 })) : []),
    ];
    if (addresses.length === 0 && v4.status === 'rejected') throw v4.reason;
    return addresses;
  };
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
      // the webhooks' rule (WEBHOOK_ALLOW_PRIVATE), with names resolved by DNS queries
      guard: deps.attachmentAddresses,
      maxBytes: settings.maxBytes,
      timeoutMs: settings.fetchTimeoutMs,
      schedule: settings.retryScheduleMs,
      concurrency: settings.fetchConcurrency,
      now: () => deps.clock.now(),
    }),
  ];
};
