import type { Pool } from 'pg';
import { inTransaction } from '../transaction';
import { CONTACT_COLUMNS, withDetails, type ContactRow, type ContactView } from './contactQueries';

export type ContactHit = ContactView & Readonly<{ score: number }>;

/** How alike a query and a name or value must be (pg_trgm word similarity, 0..1). */
const THRESHOLD = '0.4';

/**
 * Fuzzy search over names, descriptions and contact values of live contacts, best first.
 * Text matches by trigram word similarity ("vasia pupkn" finds "Vasya Pupkin"); digits match
 * digits whatever the punctuation ("987 654 32" finds +7 987 654-32-10). A hit on a merged
 * contact's data counts for its survivor.
 */
export const searchContacts = async (
  pool: Pool,
  query: string,
  page: Readonly<{ limit: number; offset: number }>,
): Promise<{ items: ContactHit[]; more: boolean }> => {
  const found = await inTransaction(pool, async (db) => {
    // the operators <% use this threshold, and so can use the trigram indexes
    await db.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [THRESHOLD]);
    const result = await db.query<ContactRow & { score: number }>(
      `WITH q AS (
         SELECT lower($1::text) AS text, regexp_replace($1::text, '\\D', '', 'g') AS digits
       ),
       hits AS (
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
         WHERE length(q.digits) >= 3
           AND (d.value_digits LIKE '%' || q.digits || '%' OR q.digits <% d.value_digits)
       ),
       ranked AS (
         SELECT coalesce(c.survivor_id, c.contact_id) AS contact_id, max(h.score) AS score
         FROM hits h JOIN read_model.contacts c ON c.contact_id = h.contact_id
         GROUP BY 1
       )
       SELECT ${CONTACT_COLUMNS}, r.score::float8 AS score
       FROM ranked r JOIN read_model.contacts c ON c.contact_id = r.contact_id
       WHERE c.status = 'active'
       ORDER BY r.score DESC, c.contact_id
       LIMIT $2 OFFSET $3`,
      [query.trim(), page.limit + 1, page.offset],
    );
    return result.rows;
  });
  const rows = found.slice(0, page.limit);
  const views = await withDetails(pool, rows);
  return {
    items: views.map((view, i) => ({ ...view, score: rows[i]?.score ?? 0 })),
    more: found.length > page.limit,
  };
};
