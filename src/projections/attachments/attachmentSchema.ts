import type { ClientBase } from 'pg';

/**
 * The attachments schema (SPEC §2.1): one row per attachment Parley keeps, with its fetch
 * queue state and what serving it needs (contact, type, name), and the PostgreSQL storage's
 * sealed bytes. Like the webhook outbox's tables these are the workers' state, not a read
 * model: never rebuilt. Version 170: clear of the other modules' numbers.
 */
export const attachmentSchemaMigration = {
  version: 170,
  name: 'attachments: files to keep, their fetch queue, stored bytes',
  sql: `
    CREATE SCHEMA IF NOT EXISTS attachments;

    CREATE TABLE attachments.files (
      attachment_id text PRIMARY KEY,
      dialog_id text NOT NULL,
      message_id text NOT NULL,
      -- the attachment's place in its message's attachments
      position integer NOT NULL,
      -- the subject whose data key seals the file
      contact_id text NOT NULL,
      source text NOT NULL CHECK (source IN ('fetched', 'uploaded')),
      -- where a fetched file comes from; null for an upload
      url text,
      name text NOT NULL,
      declared_type text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'stored', 'failed')),
      size bigint,
      sha256 text,
      sniffed_type text,
      reason text,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      leased_until timestamptz,
      lease uuid,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    );
    CREATE INDEX files_due ON attachments.files (next_attempt_at) WHERE status = 'pending';

    -- the PostgreSQL attachment storage (ATTACHMENT_STORAGE=postgres): sealed bytes only
    CREATE TABLE attachments.blobs (
      attachment_id text PRIMARY KEY,
      sealed bytea NOT NULL,
      stored_at timestamptz NOT NULL DEFAULT now()
    );
  `,
} as const;

/**
 * The leased files of the fetch queue, so that the next due fetch is found from two indexes
 * (msUntilNextFetch) instead of a read of every pending file: a fetch that keeps failing
 * stays pending through its retries, and the bench's idle phase spent 70 % of PostgreSQL's
 * time on that read (0.4 ms a call, 25 calls a second, docs/performance.md). Few files are
 * leased at once (the workers' concurrency), so the index stays small.
 */
export const attachmentLeasesMigration = {
  version: 200,
  name: "attachments: the fetch queue's leased files indexed",
  sql: `
    CREATE INDEX files_leased ON attachments.files (leased_until)
      WHERE status = 'pending' AND leased_until IS NOT NULL;
  `,
} as const;

/** Fetch workers LISTEN here. */
export const ATTACHMENT_FETCHES_CHANNEL = 'attachment_fetches';

/** Wakes the fetch workers of every process (at commit when inside a transaction). */
export const wakeFetchWorkers = async (db: Pick<ClientBase, 'query'>): Promise<void> => {
  await db.query('SELECT pg_notify($1, $2)', [ATTACHMENT_FETCHES_CHANNEL, '']);
};
