import type { Pool } from 'pg';

export type Finding = Readonly<{ table: string; column: string; needle: string }>;

/** Text-like columns hold text; bytea is searched for the needle's UTF-8 bytes. */
const SCANNED_TYPES = ['text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY'];

/**
 * Every text, jsonb, json, array and bytea column of every table of the database (every schema
 * but PostgreSQL's own), searched for each needle, case-insensitively: where a value is held.
 */
export const scanDatabase = async (pool: Pool, needles: readonly string[]): Promise<Finding[]> => {
  const { rows: columns } = await pool.query<{
    schema: string;
    table: string;
    column: string;
    type: string;
  }>(
    `SELECT c.table_schema AS schema, c.table_name AS table, c.column_name AS column, c.data_type AS type
     FROM information_schema.columns c
     JOIN information_schema.tables t USING (table_schema, table_name)
     WHERE t.table_type = 'BASE TABLE' AND c.data_type = ANY($1)
       AND c.table_schema NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`,
    [SCANNED_TYPES],
  );
  const findings: Finding[] = [];
  for (const { schema, table, column, type } of columns) {
    const where = `"${schema}"."${table}"`;
    const value = type === 'bytea' ? `"${column}"` : `"${column}"::text`;
    for (const needle of needles) {
      const { rows } = await pool.query(
        type === 'bytea'
          ? `SELECT 1 FROM ${where} WHERE position(convert_to($1, 'UTF8') IN ${value}) > 0 LIMIT 1`
          : `SELECT 1 FROM ${where} WHERE strpos(lower(${value}), lower($1)) > 0 LIMIT 1`,
        [needle],
      );
      if (rows.length > 0) findings.push({ table: `${schema}.${table}`, column, needle });
    }
  }
  return findings;
};
