import type { ClientBase, Pool } from 'pg';
import { inTransaction } from '../transaction';
import { CONTACT_COLUMNS, withDetails, type ContactRow, type ContactView } from './contactQueries';

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

const SEARCH = `
  WITH q AS MATERIALIZED (
    SELECT lower($1::text) AS text, regexp_replace($1::text, '\\D', '', 'g') AS digits,
           -- digits are compared as digits only when the query is a phone number's part:
           -- "user4567@" or "shop-user-4567" would otherwise rank every phone with 4567 first
           $1::text ~ '^[0-9[:space:]+().-]+$' AS phone
  ),
  hits AS MATERIALIZED (
    SELECT c.contact_id, word_similarity(q.text, c.search_text) AS score
    FROM read_model.contacts c, q
    WHERE q.text <% c.search_text
    UNION ALL
    SELECT d.contact_id, word_similarity(q.text, d.value_search)
    FROM read_model.contact_data d, q
    WHERE q.text <% d.value_search
    UNION ALL
    SELECT d.contact_id,
           CASE WHEN strpos(d.value_digits, q.digits) > 0 THEN 1
                ELSE word_similarity(q.digits, d.value_digits) END
    FROM read_model.contact_data d, q
    WHERE q.phone AND length(q.digits) >= 3
      AND (d.value_digits LIKE '%' || q.digits || '%' OR q.digits <% d.value_digits)
  ),
  -- OFFSET 0 keeps these lookups by primary key: the planner cannot estimate how few hits the
  -- trigram operators leave and would rather hash-join whole tables
  ranked AS (
    SELECT s.contact_id, max(h.score) AS score
    FROM hits h
    CROSS JOIN LATERAL (
      SELECT coalesce(c.survivor_id, c.contact_id) AS contact_id
      FROM read_model.contacts c WHERE c.contact_id = h.contact_id OFFSET 0
    ) s
    GROUP BY 1
  )
  SELECT ${CONTACT_COLUMNS}, r.score::float8 AS score
  FROM ranked r
  CROSS JOIN LATERAL (
    SELECT * FROM read_model.contacts c
    WHERE c.contact_id = r.contact_id AND c.status = 'active' OFFSET 0
  ) c
  ORDER BY r.score DESC, c.contact_id
  LIMIT $2 OFFSET $3`;

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
  const result = await db.query<Row>(SEARCH, [query.trim(), page.limit + 1, page.offset]);
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
