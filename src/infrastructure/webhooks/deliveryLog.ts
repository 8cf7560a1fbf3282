import type { Pool } from 'pg';
import {
  wakeDeliveryWorkers,
  type AttemptOutcome,
  type DeliveryStatus,
} from '../../projections/outbox/outboxSchema';

export type DeliveryView = Readonly<{
  id: string;
  webhook_id: string;
  message_id: string;
  event_type: string;
  dialog_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  created_at: string;
  finished_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  last_latency_ms: number | null;
  last_response: string | null;
}>;

export type AttemptView = Readonly<{
  attempt: number;
  started_at: string;
  latency_ms: number;
  status_code: number | null;
  error: string | null;
  response_snippet: string | null;
  outcome: AttemptOutcome;
}>;

/** A DeliveryView per delivery `d`: filter and order it with WHERE and ORDER BY. */
const SELECT_DELIVERY_VIEWS = `SELECT d.delivery_id::text AS id, d.webhook_id, d.message_id,
  m.event_type, d.dialog_id, d.status, d.attempts,
  CASE WHEN d.status = 'pending' THEN to_json(d.next_attempt_at) #>> '{}' END AS next_attempt_at,
  to_json(d.created_at) #>> '{}' AS created_at, to_json(d.finished_at) #>> '{}' AS finished_at,
  d.last_status_code, d.last_error, d.last_latency_ms, d.last_response
  FROM webhooks.deliveries d JOIN webhooks.messages m ON m.message_id = d.message_id`;

/** A page of a subscription's deliveries, newest first; `before` is the previous page's cursor. */
export const listDeliveries = async (
  pool: Pool,
  webhookId: string,
  filter: Readonly<{ status: DeliveryStatus | null; before: string | null; limit: number }>,
): Promise<{ items: DeliveryView[]; nextCursor: string | null }> => {
  const { rows } = await pool.query<DeliveryView>(
    `${SELECT_DELIVERY_VIEWS}
      WHERE d.webhook_id = $1 AND ($2::text IS NULL OR d.status = $2)
        AND ($3::bigint IS NULL OR d.delivery_id < $3::bigint)
      ORDER BY d.delivery_id DESC
      LIMIT $4`,
    [webhookId, filter.status, filter.before, filter.limit + 1],
  );
  const items = rows.slice(0, filter.limit);
  return {
    items,
    nextCursor: rows.length > filter.limit ? (items[items.length - 1]?.id ?? null) : null,
  };
};

/** One delivery with every attempt, oldest first; null when the subscription has no such delivery. */
export const getDelivery = async (
  pool: Pool,
  webhookId: string,
  deliveryId: string,
): Promise<(DeliveryView & { attempt_log: AttemptView[] }) | null> => {
  const { rows } = await pool.query<DeliveryView>(
    `${SELECT_DELIVERY_VIEWS}
      WHERE d.webhook_id = $1 AND d.delivery_id = $2::bigint`,
    [webhookId, deliveryId],
  );
  const delivery = rows[0];
  if (delivery === undefined) return null;
  const attempts = await pool.query<AttemptView>(
    `SELECT attempt, to_json(started_at) #>> '{}' AS started_at, latency_ms, status_code, error,
            response_snippet, outcome
       FROM webhooks.attempts WHERE delivery_id = $1::bigint ORDER BY attempt_id`,
    [deliveryId],
  );
  return { ...delivery, attempt_log: attempts.rows };
};

/**
 * Sends a delivery again, whatever became of it (except a cancelled one: its subscription is
 * gone): due now, at the start of the retry schedule, with the same webhook-id and body.
 * A delivery in flight keeps its lease; it is simply due again when that attempt ends.
 */
export const redeliver = async (
  pool: Pool,
  webhookId: string,
  deliveryId: string,
): Promise<boolean> => {
  const { rowCount } = await pool.query(
    `UPDATE webhooks.deliveries
        SET status = 'pending', step = 0, next_attempt_at = now(), finished_at = NULL
      WHERE webhook_id = $1 AND delivery_id = $2::bigint AND status <> 'cancelled'`,
    [webhookId, deliveryId],
  );
  await wakeDeliveryWorkers(pool);
  return (rowCount ?? 0) > 0;
};

/** Every dead-lettered delivery of the subscription created since `since`, queued again. */
export const redeliverFailedSince = async (
  pool: Pool,
  webhookId: string,
  since: Date,
): Promise<number> => {
  const { rowCount } = await pool.query(
    `UPDATE webhooks.deliveries
        SET status = 'pending', step = 0, next_attempt_at = now(), finished_at = NULL,
            leased_until = NULL, lease = NULL
      WHERE webhook_id = $1 AND status = 'failed' AND created_at >= $2`,
    [webhookId, since],
  );
  await wakeDeliveryWorkers(pool);
  return rowCount ?? 0;
};

export type SubscriptionView = Readonly<{
  id: string;
  url: string;
  events: string[];
  channel_id: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}>;

/** Subscriptions as the outbox knows them (it follows the log; a just-made one may lag a moment). */
export const listSubscriptions = async (pool: Pool): Promise<SubscriptionView[]> =>
  (
    await pool.query<SubscriptionView>(
      `SELECT webhook_id AS id, url, events, channel_id, enabled, disabled_reason,
              to_json(created_at) #>> '{}' AS created_at, to_json(updated_at) #>> '{}' AS updated_at
         FROM webhooks.subscriptions ORDER BY created_at, webhook_id`,
    )
  ).rows;
