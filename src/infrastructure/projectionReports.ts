import type { ProjectionReport } from '../projections/projectionMonitor';
import type { StuckEvent } from '../projections/runner/stuckEvents';
import type { MetricFamily } from './metrics/metricsRegistry';

/** How the read models' reports read: in /readyz (`projectionReadiness`) and in /metrics. */

export const projectionReadiness = (report: ProjectionReport) => ({
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

export const projectionMetrics = (
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
