import type { Pool } from 'pg';
import { FIRST_NAMES, SYLLABLES } from './eventLog';
import { splitWords } from '../../src/projections/contacts/contactWords';

const array = (items: readonly string[]): string =>
  `ARRAY[${items.map((s) => `'${s}'`).join(',')}]`;

const syllable = `(${array(SYLLABLES)})[1 + floor(random() * ${SYLLABLES.length})::int]`;

/**
 * The contacts read model of `contacts` contacts written directly, in bulk (generate_series):
 * the rows the contacts projection would write for the contacts `seedEventLog` creates (the
 * same names, ids, phones and e-mails by the contact's number; its words split by the
 * projection's own SQL), in a few minutes instead of the hours a log of millions of events
 * takes to seed and replay. Only for the search bench at sizes above the log's.
 */
export const seedContactTables = async (
  pool: Pool,
  channelId: string,
  contacts: number,
): Promise<void> => {
  const at = '2026-01-15T10:00:00Z';
  const id = (prefix: string): string => `'${prefix}' || lpad(to_hex(i), 23, '0')`;
  const statements = [
    'SET search_path = read_model, public',
    // commits flushed, so that the VACUUM at the end can mark the pages all-visible (a server
    // started non-durable commits asynchronously, and VACUUM waits for the flush to hint rows)
    'SET synchronous_commit = on',
    'SELECT setseed(0.11)',
    `INSERT INTO contacts (contact_id, channel_id, name, description, status, created_at, updated_at)
     SELECT ${id('c')}, '${channelId}',
       (${array(FIRST_NAMES)})[1 + floor(random() * ${FIRST_NAMES.length})::int] || ' ' ||
       initcap(${syllable} || ${syllable} || CASE WHEN random() < 0.5 THEN ${syllable} ELSE '' END
               || CASE WHEN random() < 0.5 THEN 'ov' ELSE 'ova' END),
       null, 'active', '${at}', '${at}'
     FROM generate_series(0, ${contacts - 1}) i`,
    `INSERT INTO contact_data (data_id, contact_id, type, value, service, origin, added_at, updated_at)
     SELECT ${id('i')}, ${id('c')}, 'id', 'shop-user-' || i, 'custom', 'custom', '${at}', '${at}'
     FROM generate_series(0, ${contacts - 1}) i`,
    `INSERT INTO contact_data (data_id, contact_id, type, value, service, origin, added_at, updated_at)
     SELECT ${id('p')}, ${id('c')}, 'phone', '+7 9' || right((100000000 + i::bigint * 7919)::text, 9),
            'whatsapp', null, '${at}', '${at}'
     FROM generate_series(0, ${contacts - 1}) i WHERE random() < 0.6`,
    `INSERT INTO contact_data (data_id, contact_id, type, value, service, origin, added_at, updated_at)
     SELECT ${id('e')}, ${id('c')}, 'email',
            'user' || i || '@example.' || CASE WHEN random() < 0.5 THEN 'com' ELSE 'ru' END,
            'email', null, '${at}', '${at}'
     FROM generate_series(0, ${contacts - 1}) i WHERE random() < 0.3`,
    `INSERT INTO contact_words (word, contact_id, source_id)
     SELECT w.w, c.contact_id, c.contact_id FROM contacts c
     CROSS JOIN LATERAL (${splitWords(`c.name || ' ' || coalesce(c.description, '')`)}) w`,
    `INSERT INTO contact_words (word, contact_id, source_id)
     SELECT w.w, d.contact_id, d.data_id FROM contact_data d
     CROSS JOIN LATERAL (${splitWords(`CASE WHEN d.type = 'phone' THEN d.value_digits ELSE d.value END`)}) w`,
    'INSERT INTO search_words (word, contacts) SELECT word, count(*) FROM contact_words GROUP BY word',
    'VACUUM ANALYZE contacts, contact_data, contact_words, search_words',
  ];
  const client = await pool.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    client.release();
  }
};
