import type { ClientBase } from 'pg';

/**
 * The `webhooks` schema: the outbox's tables, which the delivery workers (infrastructure/webhooks)
 * claim from and log into, and the notification channel that wakes them. Not a rebuildable read
 * model, so a migration creates it (infrastructure/postgres/migrations.ts runs this one):
 * deliveries carry the workers' state (attempts, leases), and secrets are source data that the
 * event log deliberately lacks. Shipped: append a new migration, never edit this one.
 */
export const outboxSchemaMigration = {
  version: 50,
  name: 'webhooks: secrets, outbox state, deliveries, attempts',
  sql: `
      CREATE SCHEMA IF NOT EXISTS webhooks;

      -- signing secrets, readable to sign; the event log holds only their SHA-256 fingerprints
      CREATE TABLE webhooks.secrets (
        webhook_id text NOT NULL,
        fingerprint text NOT NULL,
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (webhook_id, fingerprint)
      );

      -- the outbox projection's own state, so that it never waits for other read models
      CREATE TABLE webhooks.subscriptions (
        webhook_id text PRIMARY KEY,
        url text NOT NULL,
        events text[] NOT NULL,
        channel_id text,
        enabled boolean NOT NULL,
        disabled_reason text,
        secret_fingerprint text NOT NULL,
        previous_fingerprint text,
        rotated_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE webhooks.outbox_dialogs (
        dialog_id text PRIMARY KEY,
        channel_id text NOT NULL,
        reference text,
        title text,
        status text NOT NULL,
        assignee_id text,
        contact_id text NOT NULL,
        integration_data text,
        opened_at timestamptz NOT NULL
      );

      CREATE TABLE webhooks.outbox_contacts (
        contact_id text PRIMARY KEY,
        name text NOT NULL,
        description text,
        data jsonb NOT NULL DEFAULT '[]',
        survivor_id text,
        deleted boolean NOT NULL DEFAULT false
      );

      -- one row per webhook event; body is the exact JSON sent on every attempt
      CREATE TABLE webhooks.messages (
        message_id text PRIMARY KEY,
        event_type text NOT NULL,
        dialog_id text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL
      );

      CREATE TABLE webhooks.deliveries (
        delivery_id bigserial PRIMARY KEY,
        webhook_id text NOT NULL,
        message_id text NOT NULL REFERENCES webhooks.messages,
        dialog_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0,
        -- position in the retry schedule; a manual redelivery starts it again
        step integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        leased_until timestamptz,
        lease uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        last_status_code integer,
        last_error text,
        last_latency_ms integer,
        last_response text,
        UNIQUE (webhook_id, message_id)
      );
      CREATE INDEX deliveries_due ON webhooks.deliveries (next_attempt_at)
        WHERE status = 'pending';
      -- the head of each (subscription, dialog) line: what keeps deliveries in order
      CREATE INDEX deliveries_line ON webhooks.deliveries (webhook_id, dialog_id, delivery_id)
        WHERE status = 'pending';
      CREATE INDEX deliveries_by_webhook ON webhooks.deliveries (webhook_id, delivery_id DESC);

      CREATE TABLE webhooks.attempts (
        attempt_id bigserial PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES webhooks.deliveries,
        attempt integer NOT NULL,
        started_at timestamptz NOT NULL,
        latency_ms integer NOT NULL,
        status_code integer,
        error text,
        response_snippet text,
        outcome text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed', 'gone'))
      );
      CREATE INDEX attempts_by_delivery ON webhooks.attempts (delivery_id, attempt_id);
    `,
};

/** What webhooks.deliveries.status may hold (its CHECK). */
export const deliveryStatuses = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** What webhooks.attempts.outcome may hold (its CHECK). */
export const attemptOutcomes = ['delivered', 'retry', 'failed', 'gone'] as const;
export type AttemptOutcome = (typeof attemptOutcomes)[number];

/** Delivery workers LISTEN here. */
export const DELIVERIES_CHANNEL = 'webhook_deliveries';

/**
 * Wakes the delivery workers of every process: at once, or at commit when `db` is inside a
 * transaction (PostgreSQL folds identical notifications of one transaction into one).
 */
export const wakeDeliveryWorkers = async (db: Pick<ClientBase, 'query'>): Promise<void> => {
  await db.query('SELECT pg_notify($1, $2)', [DELIVERIES_CHANNEL, '']);
};
