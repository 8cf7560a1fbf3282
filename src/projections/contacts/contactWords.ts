import type { ClientBase } from 'pg';

/**
 * The search table: every word of a contact's name and description and of its contact values
 * (ids, e-mails, a phone number's digits), for the live contact it finds (a
 * merged contact's words belong to its survivor; a deleted contact has none), and the
 * dictionary of distinct words that the trigram index matches a query's words against. A
 * common first name, or the "shop" of every marketplace id, is one dictionary entry however
 * many contacts hold it, so a fuzzy match is tried against distinct words, never against
 * every contact (docs/performance.md, docs/read-models.md).
 */
export const WORDS_DDL = `
  CREATE TABLE contact_words (
    -- bytewise order, as the dictionary's
    word text COLLATE "C" NOT NULL,
    -- the live contact the word finds …
    contact_id text NOT NULL,
    -- … and the contact, or the contact data item, whose text holds it
    source_id text NOT NULL
  );
  -- the word too: search checks a candidate's words from this index alone
  CREATE INDEX contact_words_contact ON contact_words (contact_id, source_id, word);
  -- bytewise order: a word of digits is found by its prefix, a range of this key
  CREATE TABLE search_words (
    word text COLLATE "C" PRIMARY KEY,
    -- rows of contact_words it was added with (recounted by an erasure): search's estimate
    contacts integer NOT NULL,
    -- the order words were added in: a process that remembers a query word's matches asks
    -- only for the words added since (contactSearch.ts). One writer (the projection's active
    -- runner, or a rebuild's replay into its own tables) commits them in this order.
    added bigint GENERATED ALWAYS AS IDENTITY
  );
  -- changes when words leave the dictionary (an erasure) or the tables are built anew: what a
  -- process remembered of the dictionary is then forgotten. A transaction id: never repeats.
  CREATE TABLE search_dictionary (epoch bigint NOT NULL);
  INSERT INTO search_dictionary (epoch) VALUES (pg_current_xact_id()::text::bigint);
`;

/**
 * Columns whose values depend on how a table was built, not on the events: a rebuild, or a
 * batch retried after a crash, numbers the same words differently. Row-for-row comparisons of
 * read models leave them out.
 */
export const BUILD_LOCAL_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  search_words: ['added'],
  search_dictionary: ['epoch'],
};

export const WORDS_QUERY_INDEXES: readonly string[] = [
  `CREATE INDEX contact_words_word ON contact_words (word, contact_id)`,
  `CREATE INDEX search_words_added ON search_words (added)`,
  // words of digits are matched by prefix, never by trigrams
  `CREATE INDEX search_words_trgm ON search_words USING gin (word gin_trgm_ops)
   WHERE word !~ '^[0-9]+$'`,
];

/**
 * How search splits a text into words: lower case, runs of digits apart from runs of letters
 * ("user4567@example.com" is user, 4567, example, com), at spaces and punctuation.
 */
export const splitWords = (text: string): string =>
  `SELECT DISTINCT m[1] AS w
   FROM regexp_matches(lower(${text}), '[0-9]+|[^[:space:][:punct:]0-9]+', 'g') m`;

/** Adds the words of `texts` (a CTE of source_id, contact_id, text) and their dictionary entries. */
export const insertWords = (texts: string): string => `
  words AS (SELECT DISTINCT w.w, t.contact_id, t.source_id
            FROM ${texts} t CROSS JOIN LATERAL (${splitWords('t.text')}) w),
  dict AS (INSERT INTO search_words (word, contacts) SELECT w, count(*) FROM words GROUP BY w
           ON CONFLICT (word) DO UPDATE SET contacts = search_words.contacts + EXCLUDED.contacts)
  INSERT INTO contact_words (word, contact_id, source_id) SELECT w, contact_id, source_id FROM words`;

/**
 * Indexes the words of a contact's name and description anew (after its creation or an
 * update). The dictionary keeps words no contact holds any more: they find no contact, and a
 * rebuild drops them.
 */
export const indexNameWords = async (
  db: ClientBase,
  contactId: string,
  name: string,
  description: string | null,
): Promise<void> => {
  await db.query(
    `WITH gone AS (DELETE FROM contact_words WHERE contact_id = $1 AND source_id = $1),
          texts AS (SELECT $1::text AS contact_id, $1::text AS source_id,
                           $2::text || ' ' || coalesce($3::text, '') AS text),
     ${insertWords('texts')}`,
    [contactId, name, description],
  );
};

/** A data item's searchable text: a phone number is one word, its digits ("79" finds +7 916 …). */
export const itemText = (type: string, value: string): string =>
  `CASE WHEN ${type} = 'phone' THEN regexp_replace(${value}, '\\D', '', 'g') ELSE ${value} END`;

/**
 * The words of a contact data item written by `statement` (an INSERT or UPDATE of
 * contact_data whose RETURNING gives data_id, contact_id, type, value and `fresh`: whether
 * its words are to be written), after `touch` (an UPDATE of its contact). An item that moved to a survivor keeps the words it has,
 * which the merge moves.
 */
export const withValueWords = (touch: string, statement: string): string => `
  WITH touched AS (${touch}),
  item AS (${statement}),
  gone AS (DELETE FROM contact_words w USING item
           WHERE item.fresh AND w.contact_id = item.contact_id AND w.source_id = item.data_id),
  texts AS (SELECT contact_id, data_id AS source_id, ${itemText('type', 'value')} AS text
            FROM item WHERE fresh),
  ${insertWords('texts')}`;

/** A merged contact's words (and those merged into it before) now find its survivor. */
export const moveWords = async (db: ClientBase, from: string, to: string): Promise<void> => {
  await db.query('UPDATE contact_words SET contact_id = $2 WHERE contact_id = $1', [from, to]);
};

/** A deleted contact is found by no word. */
export const dropWords = async (db: ClientBase, contactId: string): Promise<void> => {
  await db.query('DELETE FROM contact_words WHERE contact_id = $1', [contactId]);
};

/**
 * An erased person's words leave the search table, and the dictionary keeps only words someone
 * holds, each counted anew: the words the person once had (an old phone number, a name before
 * a rename) are orphans the dictionary otherwise keeps, and a word of theirs must not outlive
 * the erasure (SPEC §8). A rebuild, where the erased values read `[erased]`, does the same at
 * the same event, so the two agree. Erasures are rare: the sweep over the dictionary is fine.
 */
export const eraseWords = async (db: ClientBase, contactIds: readonly string[]): Promise<void> => {
  await db.query('DELETE FROM contact_words WHERE contact_id = ANY($1)', [contactIds]);
  await db.query(
    `DELETE FROM search_words s
     WHERE NOT EXISTS (SELECT 1 FROM contact_words c WHERE c.word = s.word)`,
  );
  await db.query(
    `UPDATE search_words s SET contacts = h.n
     FROM (SELECT word, count(*)::int AS n FROM contact_words GROUP BY word) h
     WHERE s.word = h.word AND s.contacts <> h.n`,
  );
  // words left the dictionary: what any process remembers of it is forgotten
  await db.query('UPDATE search_dictionary SET epoch = pg_current_xact_id()::text::bigint');
};
