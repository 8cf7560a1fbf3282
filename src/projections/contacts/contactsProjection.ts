import type { ClientBase } from 'pg';
import type { ContactData } from '../../domain/contact/contactData';
import { ERASED } from '../../domain/shared/erased';
import type { Projection } from '../projection';
import { applyContactRun, RUN_TYPES } from './contactRuns';
import {
  dropWords,
  eraseWords,
  indexNameWords,
  moveWords,
  withValueWords,
  WORDS_DDL,
  WORDS_QUERY_INDEXES,
} from './contactWords';

const DDL = `
  CREATE TABLE contacts (
    contact_id text PRIMARY KEY,
    channel_id text NOT NULL,
    name text NOT NULL,
    description text,
    status text NOT NULL CHECK (status IN ('active', 'deleted', 'merged', 'erased')),
    -- merged contacts: the contact they were merged into, as recorded …
    merged_into_id text,
    -- … and the one that survives today (differs when the survivor was merged in turn)
    survivor_id text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    merged_at timestamptz,
    deleted_at timestamptz,
    erased_at timestamptz,
    search_text text GENERATED ALWAYS AS (lower(name || ' ' || coalesce(description, ''))) STORED
  );
  CREATE INDEX contacts_survivor ON contacts (survivor_id) WHERE survivor_id IS NOT NULL;

  CREATE TABLE contact_data (
    data_id text PRIMARY KEY,
    contact_id text NOT NULL,
    type text NOT NULL,
    value text NOT NULL,
    service text NOT NULL,
    origin text,
    added_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    value_search text GENERATED ALWAYS AS (lower(value)) STORED,
    value_digits text GENERATED ALWAYS AS (regexp_replace(value, '\\D', '', 'g')) STORED
  );
  CREATE INDEX contact_data_contact ON contact_data (contact_id);
`;

/** Indexes of search and lists: a rebuild builds them after its replay. */
const QUERY_INDEXES: readonly string[] = [
  `CREATE INDEX contacts_search ON contacts USING gin (search_text gin_trgm_ops)`,
  `CREATE INDEX contacts_merged_at ON contacts (merged_at) WHERE merged_at IS NOT NULL`,
  `CREATE INDEX contacts_created ON contacts (created_at)`,
  // the dialog list's text filter (dialogQueries.ts)
  `CREATE INDEX contact_data_value_search ON contact_data USING gin (value_search gin_trgm_ops)`,
  `CREATE INDEX contact_data_value_digits ON contact_data USING gin (value_digits gin_trgm_ops)`,
  ...WORDS_QUERY_INDEXES,
];

/**
 * Gives `contactId` the item and touches the contact; an item that belonged to a merged contact
 * moves to its survivor. No match key is kept: matching reads the claim streams, never this
 * table, and the decider never adds an item whose key the contact holds (dataChanges and absorb
 * in domain/contact/decide.ts filter them, as evolve does), so a key would only repeat the value.
 */
const addData = async (
  db: ClientBase,
  contactId: string,
  item: ContactData,
  at: string,
): Promise<void> => {
  await db.query(
    // a contact's data usually comes with its creation, at the same time: touching it then
    // would only write a new row version and index entries for the same value
    withValueWords(
      'UPDATE contacts SET updated_at = $7 WHERE contact_id = $2 AND updated_at IS DISTINCT FROM $7',
      `INSERT INTO contact_data (data_id, contact_id, type, value, service, origin, added_at,
                               updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
     ON CONFLICT (data_id) DO UPDATE SET
       contact_id = EXCLUDED.contact_id, type = EXCLUDED.type, value = EXCLUDED.value,
       service = EXCLUDED.service, origin = EXCLUDED.origin, updated_at = EXCLUDED.updated_at
     -- a new item's words; one moved from a merged contact has them already
     RETURNING data_id, contact_id, type, value, xmax = 0 AS fresh`,
    ),
    [item.id, contactId, item.type, item.value, item.service, item.origin, at],
  );
};

/** Contacts (merged ones point to their survivor) and their contact data, searchable with pg_trgm. */
export const contactsProjection: Projection = {
  name: 'contacts',
  // 2: a table of words for search; 3: erased contacts (SPEC §8); 4: no match keys;
  // 5: the dictionary's words numbered as added, and its epoch (search's cache)
  version: 5,
  tables: ['contacts', 'contact_data', 'contact_words', 'search_words', 'search_dictionary'],
  createTables: async (db) => {
    // trusted since PostgreSQL 13: a database owner may create it; in public, never in a shadow
    // schema that a rebuild drops
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public');
    await db.query(DDL);
    await db.query(WORDS_DDL);
  },
  queryIndexes: QUERY_INDEXES,
  batchedWrites: true,
  runs: { types: RUN_TYPES, apply: applyContactRun },
  derivedOnly: true,
  handlers: {
    ContactCreated: async (db, { data, recordedAt }) => {
      await db.query(
        `INSERT INTO contacts (contact_id, channel_id, name, description, status, created_at,
                               updated_at)
         VALUES ($1, $2, $3, $4, 'active', $5, $6)`,
        [data.contactId, data.channelId, data.name, data.description, data.createdAt, recordedAt],
      );
      await indexNameWords(db, data.contactId, data.name, data.description);
    },
    ContactUpdated: async (db, { data, recordedAt }) => {
      await db.query(
        `UPDATE contacts SET name = $2, description = $3, updated_at = $4 WHERE contact_id = $1`,
        [data.contactId, data.name, data.description, recordedAt],
      );
      await indexNameWords(db, data.contactId, data.name, data.description);
    },
    ContactDataAdded: async (db, { data, recordedAt }) => {
      await addData(db, data.contactId, data.data, recordedAt);
    },
    ContactDataChanged: async (db, { data, recordedAt }) => {
      const item = data.data;
      await db.query(
        withValueWords(
          'UPDATE contacts SET updated_at = $7 WHERE contact_id = $2',
          `UPDATE contact_data
         SET type = $3, value = $4, service = $5, origin = $6, updated_at = $7
         WHERE data_id = $1 AND contact_id = $2
         RETURNING data_id, contact_id, type, value, true AS fresh`,
        ),
        [item.id, data.contactId, item.type, item.value, item.service, item.origin, recordedAt],
      );
    },
    ContactsMerged: async (db, { data, recordedAt }) => {
      await db.query('UPDATE contacts SET updated_at = $2 WHERE contact_id = $1', [
        data.contactId,
        recordedAt,
      ]);
      for (const item of data.data) await addData(db, data.contactId, item, recordedAt);
    },
    ContactMergedInto: async (db, { data, recordedAt }) => {
      const merged = data.contactId;
      const found = await db.query<{ survivor_id: string | null }>(
        'SELECT survivor_id FROM contacts WHERE contact_id = $1',
        [data.survivorId],
      );
      const survivor = found.rows[0]?.survivor_id ?? data.survivorId;
      if (survivor === merged) return; // a cycle would be a write-side bug; never loop on it
      await db.query(
        `UPDATE contacts
         SET status = 'merged', merged_into_id = $2, survivor_id = $3, merged_at = $4,
             updated_at = $5
         WHERE contact_id = $1`,
        [merged, data.survivorId, survivor, data.mergedAt, recordedAt],
      );
      // contacts merged into this one earlier now resolve to its survivor
      await db.query('UPDATE contacts SET survivor_id = $2 WHERE survivor_id = $1', [
        merged,
        survivor,
      ]);
      await moveWords(db, merged, survivor);
    },
    // what a replay of the erased log would leave, whatever it read: the personal columns blank
    // (a value reads [erased], an absent one stays absent), no contact data to find or match
    ContactErased: async (db, { data, recordedAt }) => {
      await db.query(
        `WITH gone AS (DELETE FROM contact_data WHERE contact_id = ANY($1))
         UPDATE contacts
         SET name = $2, description = CASE WHEN description IS NULL THEN NULL ELSE $2 END,
             status = CASE WHEN contact_id = $3 THEN 'erased' ELSE status END,
             erased_at = $4, updated_at = $5
         WHERE contact_id = ANY($1)`,
        [data.erasedContactIds, ERASED, data.contactId, data.erasedAt, recordedAt],
      );
      await eraseWords(db, data.erasedContactIds);
    },
    ContactDeleted: async (db, { data, recordedAt }) => {
      await db.query(
        `UPDATE contacts SET status = 'deleted', deleted_at = $2, updated_at = $3
         WHERE contact_id = $1`,
        [data.contactId, data.deletedAt, recordedAt],
      );
      await dropWords(db, data.contactId);
    },
  },
};
