import type { Pool } from 'pg';
import { attemptOutcomes, deliveryStatuses } from '../../projections/outbox/outboxSchema';
import type { MetricFamily } from '../metrics/metricsRegistry';

type Counted = { key: string; n: string };

const byLabel = (label: string, keys: readonly string[], rows: readonly Counted[]) => {
  const counts = new Map(rows.map((r) => [r.key, Number(r.n)]));
  return keys.map((key) => ({ labels: { [label]: key }, value: counts.get(key) ?? 0 }));
};

/**
 * Webhook delivery metrics, read from PostgreSQL at scrape time so that every process reports
 * the same numbers whichever worker did the work.
 */
export const webhookMetrics = async (pool: Pool): Promise<MetricFamily[]> => {
  const [attempts, deliveries, queue] = await Promise.all([
    pool.query<Counted>(
      'SELECT outcome AS key, count(*)::text AS n FROM webhooks.attempts GROUP BY outcome',
    ),
    pool.query<Counted>(
      'SELECT status AS key, count(*)::text AS n FROM webhooks.deliveries GROUP BY status',
    ),
    pool.query<{ depth: string; oldest: number | null }>(
      `SELECT count(*)::text AS depth,
              (EXTRACT(EPOCH FROM now() - min(created_at)))::float8 AS oldest
         FROM webhooks.deliveries WHERE status = 'pending'`,
    ),
  ]);
  return [
    {
      name: 'parley_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome.',
      type: 'counter',
      samples: byLabel('outcome', attemptOutcomes, attempts.rows),
    },
    {
      name: 'parley_webhook_deliveries',
      help: 'Webhook deliveries by status (failed: dead-lettered).',
      type: 'gauge',
      samples: byLabel('status', deliveryStatuses, deliveries.rows),
    },
    {
      name: 'parley_webhook_queue_depth',
      help: 'Webhook deliveries waiting to be delivered.',
      type: 'gauge',
      samples: [{ value: Number(queue.rows[0]?.depth ?? 0) }],
    },
    {
      name: 'parley_webhook_oldest_pending_age_seconds',
      help: 'Age of the oldest pending webhook delivery.',
      type: 'gauge',
      samples: [{ value: queue.rows[0]?.oldest ?? 0 }],
    },
  ];
};
