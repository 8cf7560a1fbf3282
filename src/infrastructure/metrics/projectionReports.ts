import type { ProjectionReport } from '../../projections/projectionMonitor';
import type { MetricFamily } from './metricsRegistry';

/** A projection's place, as /readyz shows it. */
export const readinessJson = (report: ProjectionReport) => ({
  name: report.projection,
  version: report.version,
  active_here: report.here?.active ?? false,
  checkpoint: report.checkpoint,
  events_behind: report.lag.eventsBehind,
  events_behind_capped: report.lag.capped,
  seconds_behind: Math.round(report.lag.secondsBehind * 1000) / 1000,
  last_error: report.here?.lastError ?? null,
});

export const projectionMetrics = (reports: readonly ProjectionReport[]): MetricFamily[] => {
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
