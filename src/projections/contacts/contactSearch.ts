import type { ClientBase, Pool } from 'pg';
import { inTransaction } from '../transaction';
import { CONTACT_COLUMNS, withDetails, type ContactRow, type ContactView } from './contactQueries';
import { splitWords } from './contactWords';

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

/*
 * Words: each word of the query is matched against the dictionary of words (a word of digits
 * by its prefix only: "4567" is not like "14567"); a contact is a hit when every query word
 * matches one of its words, and scores its worst word's match, so that a threshold on the
 * score is a threshold on every word (which keeps the cascade exact), ties ranked by the
 * mean. The contacts of the query word with the fewest are read; the others are checked
 * against each of them. Phones: a query that is part of a phone number matches phone digits
 * as digits, whatever the punctuation. A hit on a merged contact's data counts for its
 * survivor.
 */
export const SEARCH = `
  WITH q AS MATERIALIZED (
    SELECT regexp_replace($1::text, '\\D', '', 'g') AS digits,
           -- digits are compared as digits only when the query is a phone number's part:
           -- "user4567@" or "shop-user-4567" would otherwise rank every phone with 4567 first
           $1::text ~ '^[0-9[:space:]+().-]+$' AS phone
  ),
  words AS MATERIALIZED (
    SELECT w, row_number() OVER () AS n, w ~ '^[0-9]+$' AS numeric
    FROM (${splitWords('$1::text')} LIMIT ${MAX_WORDS}) t
  ),
  nwords AS MATERIALIZED (SELECT count(*) AS k FROM words),
  matched AS MATERIALIZED (
    SELECT words.n, m.word, m.sim, m.contacts
    FROM words CROSS JOIN LATERAL (
      SELECT word, sim, contacts FROM (
        SELECT d.word, word_similarity(words.w, d.word)::float8 AS sim, d.contacts
        FROM read_model.search_words d
        WHERE NOT words.numeric AND words.w <% d.word AND d.word !~ '^[0-9]+$'
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
    ) m
  ),
  -- the query word whose matches the dictionary says the fewest contacts hold
  driver AS MATERIALIZED (
    SELECT words.n FROM words
    ORDER BY (SELECT coalesce(sum(m.contacts), 0) FROM matched m WHERE m.n = words.n), words.n
    LIMIT 1
  ),
  -- a word's contacts by the index, never a scan of every word (OFFSET 0, as below)
  candidates AS MATERIALIZED (
    SELECT p.contact_id, max(m.sim) AS best
    FROM matched m
    CROSS JOIN LATERAL (
      SELECT p.contact_id FROM read_model.contact_words p WHERE p.word = m.word OFFSET 0
    ) p
    WHERE m.n = (SELECT n FROM driver)
    GROUP BY 1
  ),
  -- the other query words' best match among each candidate's words
  others AS (
    SELECT c.contact_id, m.n, max(m.sim) AS best
    FROM candidates c
    JOIN read_model.contact_words p ON p.contact_id = c.contact_id
    JOIN matched m ON m.word = p.word
    WHERE m.n <> (SELECT n FROM driver) AND (SELECT k FROM nwords) > 1
    GROUP BY 1, 2
  ),
  word_hits AS (
    SELECT c.contact_id, least(c.best, min(o.best)) AS score,
           (c.best + coalesce(sum(o.best), 0)) / (SELECT k FROM nwords) AS tie
    FROM candidates c LEFT JOIN others o ON o.contact_id = c.contact_id
    GROUP BY c.contact_id, c.best
    HAVING count(o.n) = (SELECT k FROM nwords) - 1
  ),
  -- OFFSET 0 keeps these lookups by primary key: the planner cannot estimate how few hits
  -- the trigram operators leave and would rather hash-join whole tables
  phone_hits AS (
    SELECT DISTINCT s.contact_id, 1::float8 AS score
    FROM q, read_model.contact_data d
    CROSS JOIN LATERAL (
      SELECT l.contact_id FROM read_model.contacts c
      JOIN read_model.contacts l ON l.contact_id = coalesce(c.survivor_id, c.contact_id)
      WHERE c.contact_id = d.contact_id AND l.status = 'active' OFFSET 0
    ) s
    WHERE q.phone AND length(q.digits) >= 3 AND d.value_digits LIKE '%' || q.digits || '%'
  ),
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

const searchAt = async (
  db: ClientBase,
  threshold: number,
  query: string,
  page: Readonly<{ limit: number; offset: number }>,
): Promise<Row[]> => {
  // the operators <% use this threshold, and so can use the trigram indexes
  await db.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [
    String(threshold),
  ]);
  // prepared once per connection: planning this statement cost more than running it
  const result = await db.query<Row>({
    name: 'contact-search-v5',
    text: SEARCH,
    values: [query.trim(), page.limit + 1, page.offset],
  });
  return result.rows;
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
  page: Readonly<{ limit: number; offset: number }>,
  /** tests compare the cascade with THRESHOLD alone */
  cascade: readonly number[] = CASCADE,
): Promise<{ items: ContactHit[]; more: boolean }> => {
  const found = await inTransaction(pool, async (db) => {
    for (const threshold of cascade.filter((t) => t > THRESHOLD)) {
      const rows = await searchAt(db, threshold, query, page);
      if (rows.length > page.limit) return rows;
    }
    // no higher threshold filled the page: the answer at THRESHOLD is the answer
    return searchAt(db, THRESHOLD, query, page);
  });
  const rows = found.slice(0, page.limit);
  const views = await withDetails(pool, rows);
  return {
    items: views.map((view, i) => ({ ...view, score: rows[i]?.score ?? 0 })),
    more: found.length > page.limit,
  };
};
