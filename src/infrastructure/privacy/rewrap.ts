import type { Pool } from 'pg';
import { open, seal, type MasterKey } from '../keys/envelope';

/** A table of keys wrapped by the master key: its id column, and the AAD each row is bound to. */
export type WrappedTable = Readonly<{
  table: string;
  idColumn: string;
  aadOf: (id: string) => string;
}>;

/**
 * Re-wraps under `current` every row wrapped by another key (a master key rotation), row by
 * row and in place, so that it is idempotent and processes holding both keys keep reading.
 * The wrapped values themselves do not change. Returns the rows rewritten.
 */
export const rewrapUnder = async (
  pool: Pool,
  { table, idColumn, aadOf }: WrappedTable,
  current: MasterKey,
  readable: readonly MasterKey[],
): Promise<number> => {
  const { rows } = await pool.query<{ id: string; wrapped: string }>(
    `SELECT ${idColumn} AS id, wrapped FROM ${table} WHERE wrapped IS NOT NULL AND key_id <> $1`,
    [current.id],
  );
  let rewritten = 0;
  for (const row of rows) {
    const plain = open(readable, row.wrapped, aadOf(row.id));
    const { rowCount } = await pool.query(
      `UPDATE ${table} SET key_id = $3, wrapped = $4 WHERE ${idColumn} = $1 AND wrapped = $2`,
      [row.id, row.wrapped, current.id, seal(current, plain, aadOf(row.id))],
    );
    rewritten += rowCount ?? 0;
  }
  return rewritten;
};
