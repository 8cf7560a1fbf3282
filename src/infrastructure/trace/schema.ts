import type { Migration } from '../postgres/migrations';

/** What the audit trace needs beside the event log (docs/audit.md, "Trace"). */
export const traceMigrations: readonly Migration[] = [
  {
    version: 71,
    name: 'audit: events by correlation id; idempotent replays',
    sql: `
      -- the trace finds a request's events without scanning the log
      CREATE INDEX events_by_correlation ON event_store.events ((metadata->>'correlationId'));

      -- a replay appends nothing to the log; this row is what links it to the original request
      CREATE SCHEMA IF NOT EXISTS audit;
      CREATE TABLE audit.idempotent_replays (
        correlation_id text PRIMARY KEY,
        original_correlation_id text NOT NULL,
        route text NOT NULL,
        channel_id text NOT NULL,
        idempotency_key text NOT NULL,
        replayed_at timestamptz NOT NULL
      );
      CREATE INDEX idempotent_replays_original ON audit.idempotent_replays (original_correlation_id);
    `,
  },
];
