import { createServer, type Server } from 'node:http';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
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
import type { AttachmentStorage } from '../application/ports/attachmentStorage';
import {
  attachmentLinksFor,
  attachmentStorageFor,
  attachmentWorkers,
  payloadLinksOf,
  queryingResolve,
} from './attachments/attachmentModule';
import { postgresWebhookSecrets, sealAllUnder, secretOpener } from './webhooks/secretStore';
import { checkMasterKey, processMasterKeys } from './keys/masterKey';
import { protectStore } from './privacy/protection';
import { addressGuardOf, type Resolve } from './webhooks/urlGuard';
import { objectIdGenerator } from './ids';
import type { Logger } from './logger';
import { MetricsRegistry, processMetrics } from './metrics/metricsRegistry';
import type { EmbeddedPostgres } from './postgres/embedded';
import { openDatabase, type Database } from './postgres/database';
import { migrate } from './postgres/migrations';
import { allProjections } from '../projections/allProjections';
import { runnerConnections } from '../projections/runner/runnerConnections';
import { rateLimitWorker, sharedRateLimiterFor } from './rateLimit/sharedRateLimiterFor';
import type { SharedRateLimiter } from './rateLimit/sharedRateLimiter';
import { ProjectionMonitor } from '../projections/projectionMonitor';
import { ReadYourWrites } from '../projections/readYourWrites';
import { readStuckEvents, stuckInWords } from '../projections/runner/stuckEvents';
import { readYourWrites } from './http/middleware/readYourWrites';
import type { ReadinessCheck } from './http/routes/health';
import { channelQueryRoutes } from './http/routes/channelQueries';
import { contactQueryRoutes } from './http/routes/contactQueries';
import { dialogQueryRoutes } from './http/routes/dialogQueries';
import type { QueryRouteDeps } from './http/routes/queryRouteDeps';
import { projectionMetrics, projectionReadiness } from './projectionReports';
import { closeOnce, listen, runnerWorker, urlOf } from './lifecycle';
import type { ParleyDeps, Worker } from './parleyDeps';

/**
 * The composition root: the one place a process is assembled. Every port gets its adapter
 * here and nowhere else; every module's routes and workers are listed here, in their order.
 * How parts start and stop is lifecycle.ts's; what the modules may use is parleyDeps.ts's.
 */

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

/** The read side, assembled once per process: runners, their monitor, the query routes. */
export type ReadModels = Readonly<{
  workers: readonly Worker[];
  routers: (auth: Middleware) => Router[];
  /** for /readyz: where each projection stands */
  readiness: () => Promise<Record<string, unknown>>;
  /** for /readyz: fails while a projection cannot apply an event */
  checks: readonly ReadinessCheck[];
}>;

export const readModelsFor = (deps: ParleyDeps, metrics: MetricsRegistry): ReadModels => {
  const { pool, store, clock, logger, config } = deps;
  const runners = allProjections.map(
    (projection) =>
      new ProjectionRunner({
        pool: deps.readSidePool ?? pool,
        store,
        projection,
        log: logger.child({ worker: `projection:${projection.name}` }),
      }),
  );
  // lag is counted on the log as stored: it needs positions and times, not the sealed fields
  // that reading through the privacy codec would open (up to 1,000 events per projection)
  const monitor = new ProjectionMonitor(
    { pool, store: deps.storedEvents, clock },
    allProjections,
    () => runners.map((r) => r.status()),
  );
  // stuck events are read from the shared table: the webhook outbox runs on a runner too
  metrics.register(async () =>
    projectionMetrics(await monitor.reports(), await readStuckEvents(pool)),
  );
  const positions = new ReadYourWrites(pool, store);

  const routers = (auth: Middleware): Router[] => {
    const routeDeps: QueryRouteDeps = {
      pool,
      auth,
      readYourWrites: (projections) =>
        readYourWrites({ service: positions, projections, timeoutMs: config.minPositionTimeoutMs }),
    };
    return [
      dialogQueryRoutes(routeDeps),
      contactQueryRoutes(routeDeps),
      channelQueryRoutes(routeDeps, deps.publicUrl),
    ];
  };

  const readiness = async (): Promise<Record<string, unknown>> => {
    try {
      return { projections: (await monitor.reports()).map(projectionReadiness) };
    } catch (error) {
      return { projections_error: error instanceof Error ? error.message : String(error) };
    }
  };

  const checks: ReadinessCheck[] = [
    {
      name: 'projections',
      check: async () => {
        const stuck = await readStuckEvents(pool);
        if (stuck.length > 0) throw new Error(stuck.map(stuckInWords).join('; '));
      },
    },
  ];

  return { checks, workers: runners.map(runnerWorker), routers, readiness };
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
    readModels: readModelsFor(deps, metrics),
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
const outboxRunner = (deps: ParleyDeps): Worker =>
  runnerWorker(
    new ProjectionRunner({
      pool: deps.pool,
      store: deps.store,
      projection: webhookOutboxProjectionWith(payloadLinksOf(deps.attachmentLinks)),
      log: deps.logger.child({ worker: `projection:${webhookOutboxProjection.name}` }),
      // a webhook waits for its batch to commit: commit what has arrived rather than wait for
      // more (catch-up still fills batches, a page of the log arrives at once)
      batch: webhookOutboxBatch,
      gatherMs: webhookOutboxGatherMs,
    }),
  );

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

export type StartOptions = Readonly<{
  /** wraps the event store: tests inject faults (a crash between two appends) this way */
  wrapStore?: (store: EventStore) => EventStore;
  /** resolves webhook and attachment host names: tests play DNS rebinding, and stay offline, this way */
  resolve?: Resolve;
  /** replaces ATTACHMENT_STORAGE's adapter: tests count or break writes this way */
  attachmentStorage?: AttachmentStorage;
}>;

/**
 * The database migrated, the keys resolved (admin token, audit signing key, master keys,
 * checked against the database) and the event store behind the privacy codec.
 */
const openStore = async (
  config: Config,
  logger: Logger,
  database: Database,
  options: StartOptions,
) => {
  const { pool } = database;
  const applied = await migrate(pool);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const created = await createEventStore(config, pool, database.logReadPool);
  const adminToken = await resolveAdminToken(config.adminToken, config.dataDir);
  const auditKey = await resolveSigningKey(config.audit.signingKey, config.dataDir);
  const masterKeys = await processMasterKeys(config, logger);
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
  // an erasure in any process reaches this one's caches at once (docs/privacy.md)
  await privacy.subjectKeys.listen();
  // its LISTEN connection is released before the pool ends
  database.beforeRelease(() => privacy.subjectKeys.close());
  return { adminToken, auditKey, masterKeys, privacy, store };
};

export const startParley = async (
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<Parley> => {
  // the log's readers (every consumer's subscription, a page ahead each; the inbox's live
  // streams) get as many connections as the requests
  const database = await openDatabase(
    config,
    logger,
    runnerConnections(allProjections.length),
    config.databasePoolSize,
  );
  const { pool, readSidePool, embedded } = database;

  try {
    const { adminToken, auditKey, masterKeys, privacy, store } = await openStore(
      config,
      logger,
      database,
      options,
    );
    const { storedEvents, subjectKeys, openStored, hash: keyedHash } = privacy;

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
      attachmentAddresses: addressGuardOf(config, options.resolve ?? queryingResolve()),
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

    const close = closeOnce({
      server,
      endStreams: () => modules.inboxEvents.closeAll(),
      workers,
      release: async () => {
        await store.close();
        await database.release();
      },
      logger,
    });

    return { url, server, deps, adminToken, firstChannel, embedded, close };
  } catch (error) {
    await database.release();
    throw error;
  }
};
