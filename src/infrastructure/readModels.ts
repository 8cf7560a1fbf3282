import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { allProjections } from '../projections/allProjections';
import { ProjectionMonitor, type ProjectionReport } from '../projections/projectionMonitor';
import { ReadYourWrites } from '../projections/readYourWrites';
import { ProjectionRunner, type RunnerOptions } from '../projections/runner/projectionRunner';
import { readStuckEvents, stuckInWords, type StuckEvent } from '../projections/runner/stuckEvents';
import { readYourWrites } from './http/middleware/readYourWrites';
import type { ReadinessCheck } from './http/routes/health';
import { channelQueryRoutes } from './http/routes/channelQueries';
import { contactQueryRoutes } from './http/routes/contactQueries';
import { dialogQueryRoutes } from './http/routes/dialogQueries';
import type { QueryRouteDeps } from './http/routes/queryRouteDeps';
import type { MetricFamily, MetricsRegistry } from './metrics/metricsRegistry';
import type { ParleyDeps, Worker } from './parley';

/** The read side, assembled once per process: runners, their monitor, the query routes. */
export type ReadModels = Readonly<{
  workers: readonly Worker[];
  routers: (auth: Middleware) => Router[];
  /** for /readyz: where each projection stands */
  readiness: () => Promise<Record<string, unknown>>;
  /** for /readyz: fails while a projection cannot apply an event */
  checks: readonly ReadinessCheck[];
}>;

export const readModelsFor = (
  deps: ParleyDeps,
  metrics: MetricsRegistry,
  runnerOptions: Partial<RunnerOptions> = {},
): ReadModels => {
  const { pool, store, clock, logger, config } = deps;
  const runners = allProjections.map(
    (projection) =>
      new ProjectionRunner({
        pool,
        store,
        projection,
        log: logger.child({ worker: `projection:${projection.name}` }),
        ...runnerOptions,
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
      return { projections: (await monitor.reports()).map(readinessJson) };
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

  return {
    checks,
    workers: runners.map((runner) => ({
      name: `projection:${runner.name}`,
      start: () => runner.start(),
      stop: () => runner.stop(),
    })),
    routers,
    readiness,
  };
};

const readinessJson = (report: ProjectionReport) => ({
  name: report.projection,
  version: report.version,
  active_here: report.here?.active ?? false,
  checkpoint: report.checkpoint,
  events_behind: report.lag.eventsBehind,
  events_behind_capped: report.lag.capped,
  seconds_behind: Math.round(report.lag.secondsBehind * 1000) / 1000,
  last_error: report.here?.lastError ?? null,
  stuck:
    report.stuck === null
      ? null
      : {
          stream: report.stuck.streamId,
          revision: report.stuck.revision.toString(),
          position: report.stuck.position,
          event_type: report.stuck.eventType,
          error: report.stuck.error,
          since: report.stuck.since.toISOString(),
          attempts: report.stuck.attempts,
        },
});

const projectionMetrics = (
  reports: readonly ProjectionReport[],
  stuck: readonly StuckEvent[],
): MetricFamily[] => {
  const family = (
    name: string,
    help: string,
    type: MetricFamily['type'],
    value: (r: ProjectionReport) => number,
  ): MetricFamily => ({
    name,
    help,
    type,
    samples: reports.map((r) => ({ labels: { projection: r.projection }, value: value(r) })),
  });
  return [
    {
      name: 'parley_projections_stuck',
      help: 'Projections that cannot apply an event (a poison event): see /readyz and docs/operations.md.',
      type: 'gauge',
      samples: [{ labels: {}, value: stuck.length }],
    },
    {
      name: 'parley_projection_stuck_seconds',
      help: 'How long the projection has been failing on the same event; 0 when it moves.',
      type: 'gauge',
      samples: [
        ...new Set([...reports.map((r) => r.projection), ...stuck.map((s) => s.projection)]),
      ].map((projection) => {
        const since = stuck.find((s) => s.projection === projection)?.since;
        return {
          labels: { projection },
          value: since === undefined ? 0 : Math.max(0, (Date.now() - since.getTime()) / 1000),
        };
      }),
    },
    family(
      'parley_projection_events_behind',
      'Events in the log not yet applied by the projection (counted up to 1000).',
      'gauge',
      (r) => r.lag.eventsBehind,
    ),
    family(
      'parley_projection_seconds_behind',
      'Age of the oldest event the projection has not applied yet; 0 when caught up.',
      'gauge',
      (r) => r.lag.secondsBehind,
    ),
    family(
      'parley_projection_active',
      '1 when this process runs the projection (holds its advisory lock).',
      'gauge',
      (r) => (r.here?.active === true ? 1 : 0),
    ),
    family(
      'parley_projection_events_applied_total',
      'Events this process applied to the projection since it started.',
      'counter',
      (r) => r.here?.eventsApplied ?? 0,
    ),
    family(
      'parley_projection_batches_total',
      'Batches (transactions) this process committed for the projection since it started.',
      'counter',
      (r) => r.here?.batches ?? 0,
    ),
  ];
};
