import type { Pool } from 'pg';

type Counted = { key: string; n: string };

const series = (name: string, label: string, keys: readonly string[], rows: Counted[]) => {
  const counts = new Map(rows.map((r) => [r.key, r.n]));
  return keys.map((key) => `${name}{${label}="${key}"} ${counts.get(key) ?? '0'}`);
};

/**
 * Webhook delivery metrics in the Prometheus text format, read from PostgreSQL so that every
 * process reports the same numbers whichever worker did the work.
 */
export const webhookMetrics = async (pool: Pool): Promise<string> => {
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
    '# HELP parley_webhook_attempts_total Webhook delivery attempts by outcome.',
    '# TYPE parley_webhook_attempts_total counter',
    ...series(
      'parley_webhook_attempts_total',
      'outcome',
      ['delivered', 'retry', 'failed', 'gone'],
      attempts.rows,
    ),
    '# HELP parley_webhook_deliveries Webhook deliveries by status (failed: dead-lettered).',
    '# TYPE parley_webhook_deliveries gauge',
    ...series(
      'parley_webhook_deliveries',
      'status',
      ['pending', 'delivered', 'failed', 'cancelled'],
      deliveries.rows,
    ),
    '# HELP parley_webhook_queue_depth Webhook deliveries waiting to be delivered.',
    '# TYPE parley_webhook_queue_depth gauge',
    `parley_webhook_queue_depth ${queue.rows[0]?.depth ?? '0'}`,
    '# HELP parley_webhook_oldest_pending_age_seconds Age of the oldest pending delivery.',
    '# TYPE parley_webhook_oldest_pending_age_seconds gauge',
    `parley_webhook_oldest_pending_age_seconds ${(queue.rows[0]?.oldest ?? 0).toFixed(3)}`,
    '',
  ].join('\n');
};
