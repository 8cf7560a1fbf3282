import type { Pool } from 'pg';
import {
  attachmentLeasesMigration,
  attachmentSchemaMigration,
} from '../../projections/attachments/attachmentSchema';
import { outboxSchemaMigration } from '../../projections/outbox/outboxSchema';
import { rateLimitMigration } from '../rateLimit/postgresBucketLeases';
import {
  notaryBatchMigration,
  notaryHeadsFromDigestsMigration,
  notaryHotHeadsMigration,
} from '../audit/notarySchema';
import { privacyMigration } from '../privacy/schema';
import { traceMigrations } from '../trace/schema';

export type Migration = Readonly<{ version: number; name: string; sql: string }>;

/**
 * Versioned, forward-only schema changes. Append new ones; never edit one that has shipped.
 * Read-model tables are owned by their projections (src/projections), not listed here; the
 * webhook outbox's, which are never rebuilt, are its migration (projections/outbox/outboxSchema.ts).
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'event store',
    sql: `
      CREATE SCHEMA IF NOT EXISTS event_store;

      -- one row per stream: its last revision, the target of every optimistic append
      CREATE TABLE event_store.streams (
        stream_id text PRIMARY KEY,
        revision bigint NOT NULL CHECK (revision >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE event_store.events (
        global_position bigserial PRIMARY KEY,
        -- the appending transaction: readers only see transactions older than every running one,
        -- so an event committing late with a lower global_position is never skipped (SPEC 1.2)
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_id text NOT NULL,
        stream_revision bigint NOT NULL,
        event_id uuid NOT NULL UNIQUE,
        event_type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (stream_id, stream_revision)
      );

      CREATE INDEX events_global_order ON event_store.events (transaction_id, global_position);

      -- wakes subscribers at commit; payloads are collapsed per transaction
      CREATE FUNCTION event_store.notify_appended() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('event_store_appended', '');
        RETURN NULL;
      END $$;

      CREATE TRIGGER events_appended AFTER INSERT ON event_store.events
        FOR EACH STATEMENT EXECUTE FUNCTION event_store.notify_appended();

      -- the log is immutable: no update, no delete, whoever connects
      CREATE FUNCTION event_store.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'event_store.events is append-only';
      END $$;

      CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE ON event_store.events
        FOR EACH ROW EXECUTE FUNCTION event_store.refuse_change();
    `,
  },
  {
    version: 2,
    name: 'append notifications leave the append transaction',
    // see AppendNotifications: a NOTIFY inside the append serialised every commit
    sql: `
      DROP TRIGGER IF EXISTS events_appended ON event_store.events;
      DROP FUNCTION IF EXISTS event_store.notify_appended();
    `,
  },
  outboxSchemaMigration,
  ...traceMigrations,
  rateLimitMigration,
  privacyMigration,
  attachmentSchemaMigration,
  notaryBatchMigration,
  notaryHotHeadsMigration,
  notaryHeadsFromDigestsMigration,
  {
    version: 190,
    name: "event store: the log's order index carries each event's type",
    // A projection reads only the types it handles (readAllOfTypes): with the type in the
    // order index its page is found by an index-only scan, and only the events it returns
    // are read from the table. Before, a reader of some types fetched every row of the log to
    // test its type, each of the six such consumers in a catch-up (docs/performance.md). The
    // same count of indexes, so an append maintains no more of them.
    // Built in the migration's transaction: appends wait for it (0.4 s at 810,000 events).
    sql: `
      CREATE INDEX events_global_order_typed ON event_store.events
        (transaction_id, global_position) INCLUDE (event_type);
      DROP INDEX event_store.events_global_order;
      ALTER INDEX event_store.events_global_order_typed RENAME TO events_global_order;
    `,
  },
  attachmentLeasesMigration,
];

const MIGRATION_LOCK = 7_300_001;

/** Applies pending migrations once, whichever of several starting processes gets there first. */
export const migrate = async (
  pool: Pool,
  list: readonly Migration[] = migrations,
): Promise<number[]> => {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS public.parley_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = await client.query<{ version: number }>(
      'SELECT version FROM public.parley_migrations',
    );
    const applied = new Set(done.rows.map((r) => r.version));
    const ran: number[] = [];
    for (const migration of [...list].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO public.parley_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
        ran.push(migration.version);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return ran;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
};
