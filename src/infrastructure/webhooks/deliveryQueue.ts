import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { AttemptOutcome } from '../../projections/outbox/outboxSchema';

export type ClaimedDelivery = Readonly<{
  deliveryId: string;
  webhookId: string;
  /** the webhook-id header: the same on every attempt */
  messageId: string;
  /** this attempt's number, from 1 */
  attempt: number;
  /** position in the retry schedule */
  step: number;
  lease: string;
  url: string;
  body: string;
  /** current secret first, then the previous one during a rotation's grace period */
  secrets: readonly string[];
}>;

/**
 * Delivery `d` is the first still pending of its subscription and dialog: what keeps each dialog
 * in order. min() over deliveries_line keeps this one index probe (as NOT EXISTS, a planner
 * misled by a young table's stats scanned every earlier delivery of the subscription, per
 * candidate: 85 ms a claim half-way through 1,200).
 */
const HEAD_OF_ITS_LINE = `d.delivery_id = (
  SELECT min(e.delivery_id) FROM webhooks.deliveries e
   WHERE e.webhook_id = d.webhook_id AND e.dialog_id = d.dialog_id AND e.status = 'pending')`;

/**
 * Takes up to `limit` due deliveries in one round trip and leases them. A delivery is due when
 * it is pending, its time has come, its subscription is enabled, and no earlier delivery of the
 * same subscription and dialog is still pending (waiting, retrying or in flight): that is what
 * keeps each dialog in order. Only the head of a line is due, so one claim takes at most one
 * delivery per line, and the next one of that line becomes due only once this one is recorded.
 * SKIP LOCKED lets any number of workers, in any number of processes, claim side by side.
 */
export const claimDeliveries = async (
  pool: Pool,
  {
    limit,
    leaseMs,
    rotationGraceMs,
  }: Readonly<{ limit: number; leaseMs: number; rotationGraceMs: number }>,
): Promise<readonly ClaimedDelivery[]> => {
  const { rows } = await pool.query<{
    delivery_id: string;
    webhook_id: string;
    message_id: string;
    attempts: number;
    step: number;
    lease: string;
    url: string;
    body: string;
    secrets: string[];
  }>(
    `WITH next AS (
       SELECT d.delivery_id
         FROM webhooks.deliveries d
         JOIN webhooks.subscriptions s ON s.webhook_id = d.webhook_id
        WHERE d.status = 'pending' AND s.enabled
          AND d.next_attempt_at <= now()
          AND (d.leased_until IS NULL OR d.leased_until < now())
          AND ${HEAD_OF_ITS_LINE}
        ORDER BY d.next_attempt_at, d.delivery_id
        LIMIT $4
        FOR UPDATE OF d SKIP LOCKED)
     UPDATE webhooks.deliveries d
        SET leased_until = now() + make_interval(secs => $1::double precision / 1000),
            lease = $2, attempts = d.attempts + 1
       FROM next, webhooks.messages m, webhooks.subscriptions s
      WHERE d.delivery_id = next.delivery_id AND m.message_id = d.message_id
        AND s.webhook_id = d.webhook_id
     RETURNING d.delivery_id, d.webhook_id, d.message_id, d.attempts, d.step, d.lease, s.url,
       m.body,
       ARRAY(SELECT k.secret FROM webhooks.secrets k
              WHERE k.webhook_id = s.webhook_id
                AND (k.fingerprint = s.secret_fingerprint
                     OR (k.fingerprint = s.previous_fingerprint
                         AND s.rotated_at > now() - make_interval(secs => $3::double precision / 1000)))
              ORDER BY k.fingerprint = s.secret_fingerprint DESC) AS secrets`,
    [leaseMs, randomUUID(), rotationGraceMs, limit],
  );
  return rows.map((row) => ({
    deliveryId: row.delivery_id,
    webhookId: row.webhook_id,
    messageId: row.message_id,
    attempt: row.attempts,
    step: row.step,
    lease: row.lease,
    url: row.url,
    body: row.body,
    secrets: row.secrets,
  }));
};

export type Outcome =
  | Readonly<{ kind: 'delivered' }>
  | Readonly<{ kind: 'retry'; step: number; delayMs: number }>
  /** the schedule is spent: dead-lettered until someone redelivers it */
  | Readonly<{ kind: 'failed' }>
  /** 410: this delivery stops and the subscription is disabled */
  | Readonly<{ kind: 'gone' }>;

export type AttemptRecord = Readonly<{
  startedAt: Date;
  latencyMs: number;
  statusCode: number | null;
  error: string | null;
  snippet: string | null;
}>;

export type RecordedAttempt = Readonly<{
  claimed: ClaimedDelivery;
  attempt: AttemptRecord;
  outcome: Outcome;
}>;

/**
 * Records attempts in the delivery log and moves their deliveries on, in one statement (one
 * transaction, one round trip, one commit for all of them). A delivery moves only while the
 * lease is still ours and it is still pending: a removal or a redelivery that happened
 * meanwhile wins; the attempt is logged either way. A batch holds each delivery once at most
 * (a delivery is in flight once).
 *
 * No NOTIFY here: the worker wakes the other processes' workers itself, at most once per few
 * milliseconds for every attempt recorded meanwhile (deliveryWorker.ts).
 */
export const recordAttempts = async (
  pool: Pool,
  records: readonly RecordedAttempt[],
): Promise<void> => {
  const column = <T>(f: (r: RecordedAttempt) => T): T[] => records.map(f);
  await pool.query(
    `WITH input AS (
       SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[],
                            $5::double precision[], $6::int[], $7::text[], $8::int[], $9::text[],
                            $10::int[], $11::timestamptz[], $12::text[])
         AS i(delivery_id, lease, status, step, delay_ms, status_code, error, latency_ms,
              snippet, attempt, started_at, outcome)),
     moved AS (
       UPDATE webhooks.deliveries d
          SET status = i.status, step = i.step,
              next_attempt_at = now() + make_interval(secs => i.delay_ms / 1000),
              leased_until = NULL, lease = NULL,
              finished_at = CASE WHEN i.status = 'pending' THEN NULL ELSE now() END,
              last_status_code = i.status_code, last_error = i.error,
              last_latency_ms = i.latency_ms, last_response = i.snippet
         FROM input i
        WHERE d.delivery_id = i.delivery_id AND d.lease = i.lease AND d.status = 'pending')
     INSERT INTO webhooks.attempts (delivery_id, attempt, started_at, latency_ms, status_code,
       error, response_snippet, outcome)
     SELECT delivery_id, attempt, started_at, latency_ms, status_code, error, snippet, outcome
       FROM input`,
    [
      column((r) => r.claimed.deliveryId),
      column((r) => r.claimed.lease),
      column(({ outcome: { kind } }) =>
        kind === 'retry' ? 'pending' : kind === 'delivered' ? 'delivered' : 'failed',
      ),
      column(({ outcome, claimed }) => (outcome.kind === 'retry' ? outcome.step : claimed.step)),
      column(({ outcome }) => (outcome.kind === 'retry' ? outcome.delayMs : 0)),
      column((r) => r.attempt.statusCode),
      column((r) => r.attempt.error),
      column((r) => r.attempt.latencyMs),
      column((r) => r.attempt.snippet),
      column((r) => r.claimed.attempt),
      column((r) => r.attempt.startedAt),
      column((r) => r.outcome.kind satisfies AttemptOutcome),
    ],
  );
};

/**
 * Records attempts as they finish: the first at once, and those that finish while a write is
 * under way all together in the next one. Nothing waits for a batch to fill, so a lone attempt
 * is as quick as before, and under load one commit serves many attempts.
 */
export const attemptRecorder = (pool: Pool) => {
  let queued: { record: RecordedAttempt; done: (error?: unknown) => void }[] = [];
  let writing = false;
  const write = async (): Promise<void> => {
    writing = true;
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      const error = await recordAttempts(
        pool,
        batch.map((b) => b.record),
      ).then(
        () => undefined,
        (e: unknown) => e ?? new Error('recording attempts failed'),
      );
      for (const b of batch) b.done(error);
    }
    writing = false;
  };
  return (record: RecordedAttempt): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      queued.push({ record, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!writing) void write();
    });
};

/**
 * After a 410 the workers stop at once; the WebhookUpdated event the worker appends says the
 * same, and the outbox projection writes the same value when it reaches that event.
 */
export const markSubscriptionGone = async (pool: Pool, webhookId: string): Promise<void> => {
  await pool.query(
    `UPDATE webhooks.subscriptions
        SET enabled = false, disabled_reason = 'endpoint_gone', updated_at = now()
      WHERE webhook_id = $1`,
    [webhookId],
  );
};

/**
 * Milliseconds until the next delivery that could be claimed is due (the head of a line, on an
 * enabled subscription); null when there is none. Deliveries waiting behind another do not count.
 */
export const msUntilNextDue = async (pool: Pool): Promise<number | null> => {
  const { rows } = await pool.query<{ ms: number | null }>(
    `SELECT (EXTRACT(EPOCH FROM min(greatest(d.next_attempt_at,
               coalesce(d.leased_until, d.next_attempt_at))) - now()) * 1000)::float8 AS ms
       FROM webhooks.deliveries d
       JOIN webhooks.subscriptions s ON s.webhook_id = d.webhook_id
      WHERE d.status = 'pending' AND s.enabled
        AND ${HEAD_OF_ITS_LINE}`,
  );
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, ms);
};
