import type { Pool } from 'pg';

export type TracedAttempt = Readonly<{
  attempt: number;
  startedAt: Date;
  latencyMs: number;
  statusCode: number | null;
  error: string | null;
  outcome: string;
}>;

export type TracedDelivery = Readonly<{
  deliveryId: string;
  webhookId: string;
  webhookMessageId: string;
  eventType: string;
  status: string;
  attempts: readonly TracedAttempt[];
}>;

type Row = {
  delivery_id: string;
  webhook_id: string;
  message_id: string;
  event_type: string;
  status: string;
  attempts: {
    attempt: number;
    started_at: string;
    latency_ms: number;
    status_code: number | null;
    error: string | null;
    outcome: string;
  }[];
};

/** The deliveries of these webhook messages, each with every attempt, in the order queued. */
export const deliveriesOfMessages = async (
  pool: Pool,
  messageIds: readonly string[],
): Promise<TracedDelivery[]> => {
  if (messageIds.length === 0) return [];
  const { rows } = await pool.query<Row>(
    `SELECT d.delivery_id, d.webhook_id, d.message_id, m.event_type, d.status,
            coalesce((SELECT json_agg(json_build_object(
                         'attempt', a.attempt, 'started_at', a.started_at,
                         'latency_ms', a.latency_ms, 'status_code', a.status_code,
                         'error', a.error, 'outcome', a.outcome) ORDER BY a.attempt_id)
                      FROM webhooks.attempts a WHERE a.delivery_id = d.delivery_id), '[]') AS attempts
     FROM webhooks.deliveries d JOIN webhooks.messages m USING (message_id)
     WHERE d.message_id = ANY($1)
     ORDER BY d.delivery_id`,
    [messageIds],
  );
  return rows.map((r) => ({
    deliveryId: r.delivery_id,
    webhookId: r.webhook_id,
    webhookMessageId: r.message_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: new Date(a.started_at),
      latencyMs: a.latency_ms,
      statusCode: a.status_code,
      error: a.error,
      outcome: a.outcome,
    })),
  }));
};
