import type { Migration } from '../postgres/migrations';

/**
 * Data keys and the matching secret live in PostgreSQL whichever event store holds the log:
 * outside the log, so that destroying a key forgets a person while the log stays whole.
 */
export const privacyMigration: Migration = {
  version: 110,
  name: 'privacy: data keys of subjects, the matching secret',
  sql: `
    CREATE SCHEMA IF NOT EXISTS keys;
    -- one AES-256 data key per subject (a contact), wrapped by the master key; destroying it
    -- clears wrapped for good and keeps the row, so that the subject never gets a new key
    CREATE TABLE keys.subject_keys (
      subject_id text PRIMARY KEY,
      key_id text,
      wrapped text,
      created_at timestamptz NOT NULL DEFAULT now(),
      destroyed_at timestamptz,
      CHECK ((wrapped IS NULL) = (destroyed_at IS NOT NULL))
    );
    -- the HMAC secret of matching identifiers: wrapped by the master key; its value never
    -- changes (a rotation re-wraps it), or every stored match would be lost
    CREATE TABLE keys.hmac_keys (
      name text PRIMARY KEY,
      key_id text NOT NULL,
      wrapped text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    -- 'protected' once every stored event is under the codec (a new store, or protect-existing)
    CREATE TABLE keys.protection (
      name text PRIMARY KEY,
      state text NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    );
  `,
};
