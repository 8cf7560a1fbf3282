import { escapeIdentifier, type ClientBase } from 'pg';
import { LOCKS } from './runner/lockKeys';
import { createSkippedEventsTable, createStuckEventsTable } from './runner/stuckEvents';

/** Where the live read models live; analysts query this schema. */
export const READ_MODEL = 'read_model';

/** The tables of READ_MODEL that belong to the runners, not to one projection. */
export const RUNNER_TABLES = [
  'projection_checkpoints',
  'projection_stuck_events',
  'projection_skipped_events',
] as const;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Schema and table names cannot be query parameters. The ones Parley builds come from its own
 * constants; this refuses anything else so that no name can smuggle SQL in.
 */
export const plainIdentifier = (name: string): string => {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain SQL identifier: ${name}`);
  return name;
};

export const quoted = (name: string): string => escapeIdentifier(plainIdentifier(name));

const UNDEFINED_TABLE = '42P01';
const UNDEFINED_SCHEMA = '3F000';

/**
 * A read's error that says a read model is not there yet, rather than broken: its schema does
 * not exist (a fresh database, in the moment before the runners make it) or one of its tables
 * is missing (one a new version adds, until its rebuild swaps it in; tables dropped by hand,
 * until the runner has rebuilt them). Reads name their tables `read_model.<table>`, so
 * PostgreSQL's message names the schema; a missing table anywhere else is not this.
 */
export const isReadModelMissing = (error: unknown): boolean => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return false;
  if (code === UNDEFINED_SCHEMA) return message === `schema "${READ_MODEL}" does not exist`;
  return code === UNDEFINED_TABLE && message.startsWith(`relation "${READ_MODEL}.`);
};

/** Where a rebuild builds a projection's fresh tables before swapping them in. */
export const shadowSchemaOf = (projection: string): string => `${READ_MODEL}_rebuild_${projection}`;

/** Points unqualified table names at `schema` until the transaction ends; pg_trgm stays in public. */
export const useSchema = async (db: ClientBase, schema: string): Promise<void> => {
  await db.query(USE_SCHEMA, [plainIdentifier(schema)]);
};

/** useSchema's statement ($1: a plain identifier), for a batch that sends it with its writes */
export const USE_SCHEMA = `SELECT set_config('search_path', format('%I, public', $1::text), true)`;

/** Serialises DDL of read models across processes, until the transaction ends. */
export const lockDdl = async (db: ClientBase): Promise<void> => {
  await db.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCKS.ddl, 0]);
};

/** The schema and the checkpoint table every projection shares; idempotent. Call inside a transaction. */
export const ensureReadModelSchema = async (db: ClientBase): Promise<void> => {
  await lockDdl(db);
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${quoted(READ_MODEL)}`);
  await db.query(`
    CREATE TABLE IF NOT EXISTS ${quoted(READ_MODEL)}.projection_checkpoints (
      projection text PRIMARY KEY,
      version integer NOT NULL,
      -- the event store's opaque checkpoint of the last event applied; null: none yet
      checkpoint text,
      -- events read from the log so far (applied or ignored), a rebuild's progress estimate
      events_seen bigint NOT NULL DEFAULT 0,
      -- the tables this version owns: a rebuild drops them when it swaps in new ones
      tables text[] NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      rebuilt_at timestamptz
    )`);
  await createStuckEventsTable(db);
  await createSkippedEventsTable(db);
  // a batch's first statement (HOLD_CHECKPOINT): it fails, so that none of the batch's writes
  // run, when the checkpoint is not where the runner left it
  await db.query(`
    CREATE OR REPLACE FUNCTION ${quoted(READ_MODEL)}.hold_checkpoint(
      p_projection text, p_version integer, p_expected text) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM ${quoted(READ_MODEL)}.projection_checkpoints
      WHERE projection = p_projection AND version = p_version
        AND checkpoint IS NOT DISTINCT FROM p_expected
      FOR UPDATE;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'the stored checkpoint of % moved', p_projection
          USING ERRCODE = '${CHECKPOINT_MOVED}';
      END IF;
    END $$`);
};

/** the SQLSTATE of hold_checkpoint's refusal */
export const CHECKPOINT_MOVED = 'PF001';

/**
 * Locks a projection's checkpoint row until the transaction ends, or fails with
 * CHECKPOINT_MOVED: $1 the projection, $2 its version, $3 the checkpoint the runner expects.
 */
export const HOLD_CHECKPOINT = `SELECT ${READ_MODEL}.hold_checkpoint($1, $2, $3)`;
