import type { ClientBase, Pool } from 'pg';
import { onConnection } from '../transaction';
import { CONTACT_COLUMNS, withDetails, type ContactRow, type ContactView } from './contactQueries';
import { splitWords } from './contactWords';
import { DictionaryMemory, isNumberWord, MAX_BEHIND, type WordMatch } from './dictionaryMemory';

export type ContactHit = ContactView & Readonly<{ score: number }>;

/** How alike a query and a name or value must be (pg_trgm word similarity, 0..1). */
const THRESHOLD = 0.4;

/**
 * Thresholds tried in turn, the last being THRESHOLD. The answer at a higher threshold is the
 * top of the answer at THRESHOLD: every contact it holds scores at least that threshold, and
 * every contact it leaves out scores less, so ranks below all of them (a contact's score is
 * its best hit, which a higher threshold keeps). So when a higher threshold already fills the
 * page and one more, that page is exactly THRESHOLD's page, found among far fewer candidates:
 * a common first name or a marketplace's id prefix matches tens of thousands of contacts at
 * 0.4, which costs PostgreSQL a recheck of each (docs/performance.md).
 */
export const CASCADE: readonly number[] = [0.9, 0.75, 0.6, 0.5, THRESHOLD];

type Row = ContactRow & { score: number };

/** a query's first words; more would only narrow an AND further */
const MAX_WORDS = 6;
/**
 * Dictionary words a query word matches, the most alike first. The K most alike at a higher
 * threshold are the K most alike at THRESHOLD that reach it, so the cascade stays exact.
 */
const WORDS_PER_QUERY_WORD = 200;
/**
 * Reading the other words' contacts by word against the candidates beats looking up each
 * candidate's words while they are at most this many times the candidates (the cascade
 * steps of the bench's mix at 1,000,000 contacts cross over near 40, docs/performance.md).
 */
const BY_WORD_RATIO = 40;

const REMEMBERED_MATCHES = `
      UNION ALL
      -- a word remembered: only the words added since its stamp, by their order of addition.
      -- At most MAX_BEHIND of them (since is null further behind), so the LIMIT cuts nothing:
      -- it makes the plan read them by that index, not the whole trigram index
      SELECT d.word, word_similarity(words.w, d.word)::float8, d.contacts
      FROM (
        SELECT a.word, a.contacts FROM read_model.search_words a
        WHERE a.added > words.since ORDER BY a.added LIMIT ${MAX_BEHIND + 1}
      ) d
      WHERE NOT words.numeric AND d.word !~ '^[0-9]+$'
        AND word_similarity(words.w, d.word)
            >= current_setting('pg_trgm.word_similarity_threshold')::real`;

/*
 * Words: each word of the query is matched against the dictionary of words (a word of digits
 * by its prefix only: "4567" is not like "14567"); a contact is a hit when every query word
 * matches one of its words, and scores its worst word's match, so that a threshold on the
 * score is a threshold on every word (which keeps the cascade exact), ties ranked by the
 * mean. Phones: a query that is part of a phone number matches phone digits as digits,
 * whatever the punctuation. A hit on a merged contact's data counts for its survivor.
 *
 * The dictionary is matched once per search, at THRESHOLD (DICTIONARY): a higher threshold's
 * matches are those of them that reach it. Each cascade step (SEARCH) is handed its matches.
 * So are the phone hits, found once too: every one ranks (1, 1), then by contact id, so a page
 * that ends at row $2 holds none but the $2 with the lowest ids.
 */
const dictionaryStatement = (remembering: boolean): string => `
  WITH q AS MATERIALIZED (
    -- digits are compared as digits only when the query is a phone number's part:
    -- "user4567@" or "shop-user-4567" would otherwise rank every phone with 4567 first
    SELECT regexp_replace($1::text, '\\D', '', 'g') AS digits,
           $1::text ~ '^[0-9[:space:]+().-]+$'
             AND length(regexp_replace($1::text, '\\D', '', 'g')) >= 3 AS phone
  ),
  -- the dictionary's epoch and its newest word, in this statement's snapshot: what the
  -- matches below are as of
  dictionary AS MATERIALIZED (${
    remembering
      ? `SELECT (SELECT epoch FROM read_model.search_dictionary) AS epoch,
                coalesce((SELECT max(added) FROM read_model.search_words), 0) AS head`
      : // a read model of version 4 (no epoch, no order of addition): nothing to remember
        `SELECT NULL::bigint AS epoch, NULL::bigint AS head`
  }),
  -- since: the stamp of the matches the process remembers of a word ($3, $4), while the
  -- dictionary's epoch is still the one it remembers them from ($5)
  words AS MATERIALIZED (
    SELECT t.w, row_number() OVER () AS n, t.w ~ '^[0-9]+$' AS numeric,
           (SELECT h.stamp FROM unnest($3::text[], $4::int8[]) AS h(word, stamp), dictionary
            WHERE h.word = t.w AND dictionary.epoch = $5::int8
              AND dictionary.head - h.stamp <= ${MAX_BEHIND} LIMIT 1) AS since
    FROM (${splitWords('$1::text')} LIMIT ${MAX_WORDS}) t
  ),
  -- OFFSET 0 keeps these lookups by primary key: the planner cannot estimate how few hits
  -- the LIKE leaves and would rather hash-join whole tables
  phone_hits AS MATERIALIZED (
    SELECT DISTINCT s.contact_id
    FROM q, read_model.contact_data d
    CROSS JOIN LATERAL (
      SELECT l.contact_id FROM read_model.contacts c
      JOIN read_model.contacts l ON l.contact_id = coalesce(c.survivor_id, c.contact_id)
      WHERE c.contact_id = d.contact_id AND l.status = 'active' OFFSET 0
    ) s
    WHERE q.phone AND d.value_digits LIKE '%' || q.digits || '%'
    ORDER BY 1 LIMIT $2
  )
  SELECT words.n::int AS n, m.word, m.sim, m.contacts, words.w AS query_word,
         words.since::text AS since,
         NULL::text[] AS phone_hits, NULL::float8 AS population,
         NULL::text AS epoch, NULL::text AS head
  FROM words LEFT JOIN LATERAL (
    SELECT word, sim, contacts FROM (
      SELECT d.word, word_similarity(words.w, d.word)::float8 AS sim, d.contacts
      FROM read_model.search_words d
      WHERE NOT words.numeric AND words.since IS NULL AND words.w <% d.word
        AND d.word !~ '^[0-9]+$'
${remembering ? REMEMBERED_MATCHES : ''}
      UNION ALL
      -- every word of digits after the query's word: ':' follows '9'
      SELECT d.word, word_similarity(words.w, d.word)::float8, d.contacts
      FROM read_model.search_words d
      WHERE words.numeric AND d.word >= words.w COLLATE "C"
        AND d.word < (words.w || ':') COLLATE "C"
        AND word_similarity(words.w, d.word)
            >= current_setting('pg_trgm.word_similarity_threshold')::real
    ) x
    ORDER BY sim DESC, word LIMIT ${WORDS_PER_QUERY_WORD}
  ) m ON true
  UNION ALL
  -- a query of no words still has this row: its phone hits (null: not a phone number's part),
  -- the contacts the read model holds, as PostgreSQL last counted them (-1: not yet), and
  -- the dictionary's epoch and newest word
  SELECT NULL, NULL, NULL, NULL, NULL, NULL,
         CASE WHEN q.phone THEN ARRAY(SELECT contact_id FROM phone_hits ORDER BY 1) END,
         (SELECT reltuples FROM pg_class WHERE oid = to_regclass('read_model.contacts'))::float8,
         dictionary.epoch::text, dictionary.head::text
  FROM q, dictionary
  ORDER BY 1, 3 DESC, 2`;

export const DICTIONARY = dictionaryStatement(true);
/**
 * The same for a read model built by version 4 of the projection, which a search meets while
 * the runner rebuilds it after an upgrade (docs/operations.md): the words matched afresh.
 */
export const DICTIONARY_WITHOUT_MEMORY = dictionaryStatement(false);

/**
 * One cascade step: $1 the phone hits, $4..$6 the matches that reach its threshold (query word
 * n, dictionary word, similarity), $7 how many words the query has, $8 the query word whose
 * matches the dictionary says the fewest contacts hold (the driver). The driver's contacts are
 * the candidates; a hit is a candidate that holds a match of every other query word. $9 false:
 * each candidate's words are looked up, cheapest when the other words hold many times the
 * candidates (a marketplace id: "shop" and "user" are every contact's); true: the other
 * words' contacts are read by word against the candidates, cheapest otherwise (a two-word
 * name reads its first name's contacts once). A query of one word has no other: its
 * candidates are its hits.
 */
export const SEARCH = `
  WITH matched AS MATERIALIZED (
    SELECT n, word COLLATE "C" AS word, sim
    FROM unnest($4::int[], $5::text[], $6::float8[]) AS m(n, word, sim)
  ),
  -- a word's contacts by the index, never a scan of every word (OFFSET 0, as for phone hits)
  candidates AS MATERIALIZED (
    SELECT p.contact_id, max(m.sim) AS best
    FROM matched m
    CROSS JOIN LATERAL (
      SELECT p.contact_id FROM read_model.contact_words p WHERE p.word = m.word OFFSET 0
    ) p
    WHERE m.n = $8::int
    GROUP BY 1
  ),
  -- each candidate's best match of each other query word, and its own
  others AS (
    -- read by candidate (OFFSET 0): the generic plan, which guesses ten matches, read the
    -- matches' contacts instead, every contact of "shop" and "user" for a marketplace id
    -- (600 ms at 1,000,000 contacts)
    SELECT c.contact_id, c.best AS own, m.n, max(m.sim) AS best
    FROM candidates c
    CROSS JOIN LATERAL (
      SELECT p.word FROM read_model.contact_words p WHERE p.contact_id = c.contact_id OFFSET 0
    ) p
    JOIN matched m ON m.word = p.word
    WHERE NOT $9::boolean AND m.n <> $8::int AND $7::int > 1
    GROUP BY 1, 2, 3
    UNION ALL
    -- or read by word, each row probing the candidates' hash
    SELECT c.contact_id, c.best, m.n, max(m.sim)
    FROM matched m
    CROSS JOIN LATERAL (
      SELECT p.contact_id FROM read_model.contact_words p WHERE p.word = m.word OFFSET 0
    ) p
    JOIN candidates c ON c.contact_id = p.contact_id
    WHERE $9::boolean AND m.n <> $8::int AND $7::int > 1
    GROUP BY 1, 2, 3
  ),
  -- only the candidates that hold another word are grouped: counting every word's contacts,
  -- or grouping every candidate, was most of a two-word name's time (docs/performance.md)
  word_hits AS (
    SELECT contact_id, best AS score, best AS tie FROM candidates WHERE $7::int = 1
    UNION ALL
    SELECT contact_id, least(own, min(best)), (own + sum(best)) / $7::int
    FROM others
    GROUP BY contact_id, own
    HAVING count(*) = $7::int - 1
  ),
  phone_hits AS (SELECT unnest($1::text[]) AS contact_id, 1::float8 AS score),
  -- a contact ranks by its better hit: (score, tie) of its words or of its phone
  page AS (
    SELECT coalesce(n.contact_id, v.contact_id) AS contact_id,
           greatest(n.score, v.score) AS score,
           CASE WHEN n.score >= coalesce(v.score, 0) THEN n.tie ELSE v.score END AS tie
    FROM word_hits n FULL JOIN phone_hits v ON v.contact_id = n.contact_id
    ORDER BY 2 DESC, 3 DESC, 1
    LIMIT $2 OFFSET $3
  )
  SELECT ${CONTACT_COLUMNS}, r.score
  FROM page r
  CROSS JOIN LATERAL (SELECT * FROM read_model.contacts c WHERE c.contact_id = r.contact_id OFFSET 0) c
  ORDER BY r.score DESC, r.tie DESC, c.contact_id`;

type Match = Readonly<{ n: number; word: string; sim: number; contacts: number }>;

/** What this process remembers of the dictionary, shared by its searches. */
export const dictionaryMemory = new DictionaryMemory();

/** As pg_trgm compares them: in single precision (a similarity of 0.9 reaches 0.9). */
const reaches = (m: Match, threshold: number): boolean =>
  Math.fround(m.sim) >= Math.fround(threshold);

/**
 * What the dictionary says of a query: its words' matches at THRESHOLD, its phone hits (null:
 * not a phone number's part) and how many contacts there are (an estimate, for
 * stepWorthRunning).
 */
export type Matches = Readonly<{
  words: number;
  matches: readonly Match[];
  phoneHits: readonly string[] | null;
  population: number;
}>;

type Page = Readonly<{ limit: number; offset: number }>;

/** connections whose session has THRESHOLD as pg_trgm's word similarity threshold */
const thresholdSet = new WeakSet<ClientBase>();

/**
 * Makes THRESHOLD the word similarity threshold of the connection's session, which DICTIONARY's
 * `<%` reads: once per connection outside a transaction (set there, it lasts the session; no
 * other statement of Parley uses pg_trgm's thresholds), and inside one, for the transaction,
 * each time (a rollback would undo it). A search used to open a transaction for the setting
 * alone: BEGIN, set_config and COMMIT were three of its five round trips (docs/performance.md).
 */
export const useSearchThreshold = async (db: ClientBase): Promise<void> => {
  const idle = db.getTransactionStatus() === 'I';
  if (idle && thresholdSet.has(db)) return;
  await db.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, $2)`, [
    String(THRESHOLD),
    !idle,
  ]);
  if (idle) thresholdSet.add(db);
};

type DictionaryRow = {
  n: number | null;
  word: string | null;
  sim: number | null;
  contacts: number | null;
  query_word: string | null;
  since: string | null;
  phone_hits: string[] | null;
  population: number | null;
  epoch: string | null;
  head: string | null;
};

/** The dictionary's matches of a query's words; the session's threshold must be THRESHOLD. */
export const matchDictionary = async (
  db: ClientBase,
  query: string,
  page: Page,
  memory: DictionaryMemory = dictionaryMemory,
): Promise<Matches> => {
  await useSearchThreshold(db);
  const hints = memory.hints(query);
  const values = [query, page.offset + page.limit + 1, hints.words, hints.stamps, hints.epoch];
  const run = (remembering: boolean) =>
    db.query<DictionaryRow>({
      name: remembering ? 'contact-search-dictionary-v3' : 'contact-search-dictionary-v3-old',
      text: remembering ? DICTIONARY : DICTIONARY_WITHOUT_MEMORY,
      values,
    });
  const { rows } = await run(true).catch((error: unknown) => {
    // an undefined table or column: the read model is an older version's, being rebuilt
    const code = (error as { code?: unknown } | null)?.code;
    if (code === '42P01' || code === '42703') return run(false);
    throw error;
  });
  // the last row (n null) says what the others are as of
  const last = rows.find((r) => r.n === null);
  const answer =
    last === undefined || last.epoch === null || last.head === null
      ? null
      : { epoch: last.epoch, head: last.head };
  const found = new Map<number, { word: string; since: string | null; matches: WordMatch[] }>();
  for (const r of rows) {
    if (r.n === null || r.query_word === null) continue;
    const entry = found.get(r.n) ?? { word: r.query_word, since: r.since, matches: [] };
    found.set(r.n, entry);
    if (r.word !== null)
      entry.matches.push({ word: r.word, sim: r.sim ?? 0, contacts: r.contacts ?? 0 });
  }
  const matches: Match[] = [];
  for (const [n, entry] of found) {
    const now =
      answer === null || isNumberWord(entry.word)
        ? entry.matches
        : memory.learn(hints, answer, entry.word, entry.since, entry.matches, WORDS_PER_QUERY_WORD);
    for (const m of now) matches.push({ n, ...m });
  }
  return {
    words: found.size,
    matches,
    phoneHits: last?.phone_hits ?? null,
    population: last?.population ?? 0,
  };
};

/** The contacts each query word's matches at `threshold` are held by, as the dictionary counts them. */
const contactsPerWord = (found: Matches, threshold: number): Map<number, number> => {
  const held = new Map<number, number>();
  for (const m of found.matches)
    held.set(m.n, (held.get(m.n) ?? 0) + (reaches(m, threshold) ? m.contacts : 0));
  return held;
};

/** SEARCH's parameters for a step at `threshold`. */
export const stepValues = (found: Matches, threshold: number, page: Page): unknown[] => {
  const matches = found.matches.filter((m) => reaches(m, threshold));
  const held = contactsPerWord(found, threshold);
  // the query word whose matches the fewest contacts hold (a word with none: no hit at all)
  let driver = 0;
  for (let n = 1; n <= found.words; n++)
    if (driver === 0 || (held.get(n) ?? 0) < (held.get(driver) ?? 0)) driver = n;
  const driven = held.get(driver) ?? 0;
  let others = 0;
  for (const [n, contacts] of held) if (n !== driver) others += contacts;
  return [
    found.phoneHits ?? [],
    page.limit + 1,
    page.offset,
    matches.map((m) => m.n),
    matches.map((m) => m.word),
    matches.map((m) => m.sim),
    found.words,
    driver,
    others <= BY_WORD_RATIO * driven,
  ];
};

const searchAt = async (
  db: ClientBase,
  found: Matches,
  threshold: number,
  page: Page,
): Promise<Row[]> => {
  // prepared once per connection: planning this statement cost more than running it
  const result = await db.query<Row>({
    name: 'contact-search-v11',
    text: SEARCH,
    values: stepValues(found, threshold, page),
  });
  return result.rows;
};

/**
 * Whether a step at `threshold` is worth running: whether it is expected to fill the page.
 * Skipping a step never changes the answer (the last step, at THRESHOLD, is the answer), only
 * what it costs: a step that falls through is a statement spent for nothing, and a two-word
 * name that is not in the table used to run every step. A hit holds a match of every query
 * word, so its expected number is the contacts of the query words' matches (the dictionary's
 * counts) as if the words fell on contacts independently: a first name held by 1 contact in 40
 * and a family name's 300 look-alikes make 7 hits, not 300. For one word, that is its
 * contacts. Phone hits, found already, add theirs.
 */
export const stepWorthRunning = (found: Matches, threshold: number, page: Page): boolean => {
  const phones = found.phoneHits?.length ?? 0;
  if (found.words === 0) return phones > page.offset + page.limit;
  const held = contactsPerWord(found, threshold);
  // never fewer contacts than a word holds: the estimate is old, or not made yet (-1)
  const population = Math.max(found.population, ...held.values(), 1);
  let expected = population;
  for (let n = 1; n <= found.words; n++) expected *= Math.min(1, (held.get(n) ?? 0) / population);
  return phones + expected > page.offset + page.limit;
};

/**
 * Fuzzy search over names, descriptions and contact values of live contacts, best first.
 * Text matches by trigram word similarity ("vasia pupkn" finds "Vasya Pupkin"); a query of
 * digits and phone punctuation matches digits whatever the punctuation ("987 654 32" finds
 * +7 987 654-32-10). A hit on a merged contact's data counts for its survivor.
 */
export const searchContacts = async (
  pool: Pool,
  query: string,
  page: Page,
  /** tests compare the cascade with THRESHOLD alone */
  cascade: readonly number[] = CASCADE,
  /** tests compare a search that remembers with one that does not */
  memory: DictionaryMemory = dictionaryMemory,
): Promise<{ items: ContactHit[]; more: boolean }> => {
  const text = query.trim();
  // no transaction: at READ COMMITTED each statement had its own snapshot in one as well
  const found = await onConnection(pool, async (db) => {
    const dictionary = await matchDictionary(db, text, page, memory);
    for (const threshold of cascade.filter((t) => t > THRESHOLD)) {
      if (!stepWorthRunning(dictionary, threshold, page)) continue;
      const rows = await searchAt(db, dictionary, threshold, page);
      if (rows.length > page.limit) return rows;
    }
    // no higher threshold filled the page: the answer at THRESHOLD is the answer
    return searchAt(db, dictionary, THRESHOLD, page);
  });
  const rows = found.slice(0, page.limit);
  const views = await withDetails(pool, rows);
  return {
    items: views.map((view, i) => ({ ...view, score: rows[i]?.score ?? 0 })),
    more: found.length > page.limit,
  };
};
