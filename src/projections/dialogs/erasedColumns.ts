/**
 * SQL that blanks a person's values where they were erased (SPEC §8), with `$2` the ERASED
 * text: a value reads it, an absent one stays absent. Only what a value was (present or not,
 * how many attachments) decides the result, so live tables and a replay of the erased log,
 * which reads ERASED in every sealed field, end up the same.
 */
export const erasedColumn = (column: string): string =>
  `${column} = CASE WHEN ${column} IS NULL THEN NULL ELSE $2 END`;

/** Each attachment keeps its type and size; its name and address read ERASED. */
export const ERASED_ATTACHMENTS = `coalesce((
  SELECT jsonb_agg(CASE WHEN jsonb_typeof(a) = 'object'
                        THEN a || jsonb_build_object('url', $2::text, 'name', $2::text)
                        ELSE a END ORDER BY ord)
  FROM jsonb_array_elements(attachments) WITH ORDINALITY AS t(a, ord)), '[]'::jsonb)`;
