import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Router from '@koa/router';
import type { EventStore } from '../application/ports/eventStore';
import { bootstrapFirstChannel, type Bootstrapped } from '../application/channels/bootstrap';
import { hashToken } from '../application/secrets';
import { AggregateCache } from '../application/aggregateCache';
import { commandHandler } from '../application/commandHandler';
import { StreamLocks } from '../application/streamLocks';
import { resolveAdminToken, type AdminToken } from './adminToken';
import { systemClock } from './clock';
import type { Config } from './config';
import { createEventStore } from './eventstore/createEventStore';
import { createHttpApp } from './http/app';
import { staffAuth } from './http/auth/staffAuth';
import { channelRoutes } from './http/routes/channels';
import { contactCommandRoutes } from './http/routes/contactCommands';
import { healthRoutes } from './http/routes/health';
import { inboundRoutes } from './http/routes/inbound';
import { metricsRoutes } from './http/routes/metrics';
import { inboxRoutes } from './http/routes/inbox';
import { inboxDirectoryRoutes } from './http/routes/inboxDirectory';
import { inboxEvents, type InboxEvents } from './http/routes/inboxEvents';
import { meRoutes } from './http/routes/me';
import { openApiRoutes } from './http/routes/openapi';
import { dialogCommandRoutes } from './http/routes/dialogCommands';
import { operatorRoutes } from './http/routes/operators';
import { historyImportRoutes } from './http/routes/historyImport';
import { webhookDeliveryRoutes } from './http/routes/webhookDeliveries';
import { webhookRoutes } from './http/routes/webhooks';
import { attachmentRoutes } from './http/routes/attachments';
import { auditRoutes } from './http/routes/audit';
import { auditModuleFor, type AuditModule } from './audit/auditModule';
import { resolveSigningKey } from './audit/signingKey';
import { operatorTokenResolver } from '../application/operators/operatorTokenResolver';
import { auditorTokenResolver } from '../application/audit/auditorTokenResolver';
import { staffTokens } from './http/auth/staffTokens';
import { auditReadingRoutes } from './http/routes/auditReading';
import { timeTravelRoutes } from './http/routes/timeTravel';
import { replayNotes } from './http/routes/trace';
import { disableGoneWebhook } from '../application/webhooks/manageWebhooks';
import { deliveryWorker } from './webhooks/deliveryWorker';
import { webhookMetrics } from './webhooks/webhookMetrics';
import { ProjectionRunner } from '../projections/runner/projectionRunner';
import {
  webhookOutboxBatch,
  webhookOutboxGatherMs,
  webhookOutboxProjection,
  webhookOutboxProjectionWith,
} from '../projections/outbox/outboxProjection';
import type { PayloadLinks } from '../projections/outbox/payload';
import type { AttachmentStorage } from '../application/ports/attachmentStorage';
import type { AttachmentLinks } from '../application/attachments/attachmentLinks';
import {
  attachmentLinksFor,
  attachmentStorageFor,
  attachmentWorkers,
} from './attachments/attachmentModule';
import { postgresWebhookSecrets, sealAllUnder, secretOpener } from './webhooks/secretStore';
import { checkMasterKey, parseMasterKey, resolveMasterKey } from './keys/masterKey';
import type { MasterKey } from './keys/envelope';
import { protectStore } from './privacy/protection';
import { addressGuardOf, type Resolve } from './webhooks/urlGuard';
import { objectIdGenerator } from './ids';
import type { Logger } from './logger';
import { MetricsRegistry, processMetrics } from './metrics/metricsRegistry';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './postgres/embedded';
import { migrate } from './postgres/migrations';
import { createPool } from './postgres/pool';
import { readModelsFor, type ReadModels } from './readModels';
import { allProjections } from '../projections/allProjections';
import { rateLimitWorker, sharedRateLimiterFor } from './rateLimit/sharedRateLimiterFor';
import type { SharedRateLimiter } from './rateLimit/sharedRateLimiter';

export type { ParleyDeps, Worker } from './parleyDeps';
import type { ParleyDeps, Worker } from './parleyDeps';

export type Parley = Readonly<{
  url: string;
  server: Server;
  deps: ParleyDeps;
  adminToken: AdminToken;
  /** the channel the first start on an empty store created, with its token (shown once) */
  firstChannel: Bootstrapped | null;
  embedded: EmbeddedPostgres | null;
  /** stops accepting, drains, stops workers, then releases the store, the pool and the embedded server */
  close(): Promise<void>;
}>;

const listen = (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

const urlOf = (server: Server): string => {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
};

/** The long-lived parts of each module, built once per process; routers and workers share them. */
export type Modules = Readonly<{
  metrics: MetricsRegistry;
  readModels: ReadModels;
  /** the inbox's live streams: ended before the server closes, which would wait for them */
  inboxEvents: InboxEvents;
  audit: AuditModule;
  rateLimiter: SharedRateLimiter;
}>;

export const modulesFor = (deps: ParleyDeps): Modules => {
  const metrics = new MetricsRegistry();
  metrics.register(processMetrics);
  metrics.register(() => webhookMetrics(deps.pool));
  return {
    metrics,
    readModels: readModelsFor(
      deps,
      metrics,
      deps.readSidePool === undefined ? {} : { pool: deps.readSidePool },
    ),
    inboxEvents: inboxEvents(deps),
    audit: auditModuleFor(deps),
    rateLimiter: sharedRateLimiterFor(deps),
  };
};

/** The HTTP routes of every module; each one is in the OpenAPI document (test/openapi.spec.ts). */
export const routersFor = (deps: ParleyDeps, modules: Modules = modulesFor(deps)): Router[] => [
  healthRoutes(
    [
      { name: 'database', check: async () => void (await deps.pool.query('SELECT 1')) },
      { name: 'event_store', check: () => deps.store.ping() },
      ...modules.readModels.checks,
    ],
    async () => ({
      ...(await modules.readModels.readiness()),
      ...(await modules.audit.readiness()),
    }),
  ),
  metricsRoutes(modules.metrics),
  // answers ?as_of / ?at_position on the live read routes, which answer the rest: first
  timeTravelRoutes(deps),
  // notes idempotent replays of the inbound route for the audit trace: before it
  replayNotes(deps),
  inboundRoutes(deps, modules.rateLimiter),
  historyImportRoutes(deps, modules.rateLimiter),
  channelRoutes(deps),
  contactCommandRoutes(deps),
  operatorRoutes(deps),
  dialogCommandRoutes(deps),
  webhookRoutes(deps),
  webhookDeliveryRoutes(deps),
  attachmentRoutes(deps),
  ...modules.readModels.routers(staffAuth(deps.adminTokenHash, deps.operatorTokens)),
  openApiRoutes(deps.publicUrl, deps.config.limits),
  meRoutes(deps),
  inboxRoutes(),
  ...auditReadingRoutes(deps),
  modules.inboxEvents.router,
  inboxDirectoryRoutes(deps),
  auditRoutes(deps),
];

/**
 * The webhook outbox runs on the projection runner (checkpoint in the batch's transaction,
 * active in one process at a time) but is not one of the read models: it is never rebuilt.
 */
/** Links in webhook payloads live ATTACHMENT_LINK_TTL_SECONDS from the event's recorded time. */
const signedLinks =
  (links: AttachmentLinks): PayloadLinks =>
  (attachmentId, recordedAt) => {
    const expires = Math.floor(new Date(recordedAt).getTime() / 1000) + links.ttlSeconds;
    const expiresAt = new Date(expires * 1000);
    return { url: links.signedUrl(attachmentId, expiresAt), expiresAt: expiresAt.toISOString() };
  };

const outboxRunner = (deps: ParleyDeps): Worker => {
  const runner = new ProjectionRunner({
    pool: deps.pool,
    store: deps.store,
    projection: webhookOutboxProjectionWith(signedLinks(deps.attachmentLinks)),
    log: deps.logger.child({ worker: `projection:${webhookOutboxProjection.name}` }),
    // a webhook waits for its batch to commit: commit what has arrived rather than wait for
    // more (catch-up still fills batches, a page of the log arrives at once)
    batch: webhookOutboxBatch,
    gatherMs: webhookOutboxGatherMs,
  });
  return {
    name: `projection:${runner.name}`,
    start: () => runner.start(),
    stop: () => runner.stop(),
  };
};

const masterKeysOf = async (
  config: Config,
  logger: Logger,
): Promise<[MasterKey, ...MasterKey[]]> => {
  const current = await resolveMasterKey(config.masterKey.current, config.dataDir);
  if (config.databaseUrl !== null && current.source !== 'environment')
    logger.warn(
      { keyFile: 'DATA_DIR/master-key' },
      'stored secrets are sealed with a master key of this process alone; set PARLEY_MASTER_KEY so that every process reads them (docs/operations.md)',
    );
  const previous = config.masterKey.previous;
  return previous === null
    ? [current]
    : [current, parseMasterKey(previous, 'PARLEY_PREVIOUS_MASTER_KEY')];
};

/** The background workers of every module. */
const workersFor = (deps: ParleyDeps, modules: Modules): Worker[] => [
  ...modules.readModels.workers,
  rateLimitWorker(modules.rateLimiter),
  outboxRunner(deps),
  ...attachmentWorkers(deps),
  ...modules.audit.workers,
  deliveryWorker({
    pool: deps.pool,
    logger: deps.logger,
    schedule: deps.config.webhookDelivery.retryScheduleMs,
    timeoutMs: deps.config.webhookDelivery.timeoutMs,
    concurrency: deps.config.webhookDelivery.concurrency,
    guard: deps.webhookAddresses,
    openSecret: secretOpener(deps.masterKeys),
    onGone: async (webhookId, deliveryId) => {
      await disableGoneWebhook(deps, webhookId, {
        correlationId: `webhook-delivery-${deliveryId}`,
        causationId: null,
        actor: { type: 'system' },
        now: deps.clock.now(),
      });
    },
  }),
];

/** The composition root: every port gets its adapter here and nowhere else. */
export type StartOptions = Readonly<{
  /** wraps the event store: tests inject faults (a crash between two appends) this way */
  wrapStore?: (store: EventStore) => EventStore;
  /** resolves webhook host names: tests play DNS rebinding this way */
  resolve?: Resolve;
  /** replaces ATTACHMENT_STORAGE's adapter: tests count or break writes this way */
  attachmentStorage?: AttachmentStorage;
}>;

export const startParley = async (
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<Parley> => {
  const embedded =
    config.databaseUrl === null
      ? await startEmbeddedPostgres({
          dataDir: config.dataDir,
          log: (line) => logger.debug({ postgres: line }, 'embedded postgres'),
        })
      : null;
  if (embedded !== null)
    logger.info({ dataDir: config.dataDir, port: embedded.port }, 'embedded PostgreSQL started');

  const connectionString = embedded?.connectionString ?? (config.databaseUrl as string);
  const pool = createPool({ connectionString, max: config.databasePoolSize });
  // each read model's runner holds a lock session and, while it commits, a batch's connection
  // (named `parley` as the other: `npm run projections -- status` shows it as where they run)
  const readSidePool = createPool({ connectionString, max: 2 * allProjections.length });
  // the LISTEN connection of key destructions, released before the pool ends
  let stopListening = async (): Promise<void> => undefined;
  const releaseDatabase = async (): Promise<void> => {
    await stopListening();
    await readSidePool.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await embedded?.stop();
  };

  try {
    const applied = await migrate(pool);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
    const created = await createEventStore(config, pool);
    const adminToken = await resolveAdminToken(config.adminToken, config.dataDir);
    const auditKey = await resolveSigningKey(config.audit.signingKey, config.dataDir);
    const masterKeys = await masterKeysOf(config, logger);
    await checkMasterKey(pool, masterKeys);
    // rows from before encryption (idempotent); re-wrapping is `npm run keys -- rotate`'s
    const sealed = await sealAllUnder(pool, masterKeys[0], 'plaintext only');
    if (sealed > 0) logger.info({ secrets: sealed, keyId: masterKeys[0].id }, 'secrets sealed');
    if (config.databaseUrl !== null && auditKey.source !== 'environment')
      logger.warn(
        { keyFile: 'DATA_DIR/audit-signing-key' },
        'the audit checkpoints are signed with a key of this process alone; set AUDIT_SIGNING_KEY so that every process signs with the same key (docs/audit.md)',
      );

    // the audit reads the log as stored (ciphertext); everything else through the codec
    const privacy = await protectStore(pool, created, masterKeys, config.privacyEncryption);
    if (privacy.state === 'legacy' && config.privacyEncryption)
      logger.warn(
        'the event log holds events from before encryption: run npm run keys -- protect-existing (docs/privacy.md)',
      );
    const store = options.wrapStore?.(privacy.store) ?? privacy.store;
    const { storedEvents, subjectKeys, openStored, hash: keyedHash } = privacy;
    // an erasure in any process reaches this one's caches at once (docs/privacy.md)
    await subjectKeys.listen();
    stopListening = () => subjectKeys.close();

    const server = createServer();
    server.keepAliveTimeout = 65_000;
    await listen(server, config.port, config.host);
    const url = urlOf(server);
    const ids = objectIdGenerator();
    const deps: ParleyDeps = {
      config,
      logger,
      pool,
      readSidePool,
      store,
      storedEvents,
      openStored,
      clock: systemClock,
      ids,
      commands: commandHandler({
        store,
        ids,
        locks: new StreamLocks(),
        // AGGREGATE_CACHE_SIZE=0 turns it off
        cache: config.aggregateCacheSize > 0 ? new AggregateCache(config.aggregateCacheSize) : null,
      }),
      adminTokenHash: hashToken(adminToken.token),
      operatorTokens: staffTokens(operatorTokenResolver(store), auditorTokenResolver(store)),
      publicUrl: config.publicUrl ?? url,
      webhookSecrets: postgresWebhookSecrets(pool, masterKeys[0]),
      webhookAddresses: addressGuardOf(config, options.resolve),
      auditKey,
      masterKeys,
      subjectKeys,
      keyedHash,
      attachmentStorage: options.attachmentStorage ?? attachmentStorageFor(config, pool),
      attachmentLinks: attachmentLinksFor(config, masterKeys[0], config.publicUrl ?? url),
    };
    const modules = modulesFor(deps);
    const app = createHttpApp({
      logger,
      routers: routersFor(deps, modules),
    });
    server.on('request', app.callback());

    if (config.webhookAllowPrivate) {
      logger.warn(
        'webhooks may be sent to private, loopback and link-local addresses (WEBHOOK_ALLOW_PRIVATE); set WEBHOOK_ALLOW_PRIVATE=false when Parley faces a network',
      );
    }
    const firstChannel = await bootstrapFirstChannel(deps, {
      correlationId: deps.ids.uuid(),
      causationId: null,
      actor: { type: 'system' },
      now: deps.clock.now(),
    });

    const workers = workersFor(deps, modules);
    for (const worker of workers) await worker.start();

    let closing: Promise<void> | null = null;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        await modules.inboxEvents.closeAll();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // requests still running after the grace period are cut
          setTimeout(() => server.closeAllConnections(), 5_000).unref();
        });
        for (const worker of [...workers].reverse()) {
          await worker
            .stop()
            .catch((error: unknown) =>
              logger.error({ err: error, worker: worker.name }, 'stop failed'),
            );
        }
        await store.close();
        await releaseDatabase();
      })());

    return { url, server, deps, adminToken, firstChannel, embedded, close };
  } catch (error) {
    await releaseDatabase();
    throw error;
  }
};
