import type { Pool } from 'pg';
import { lockCheckpoint, replaceCheckpoint } from '../checkpoints';
import { createQueryIndexes, type Projection } from '../projection';
import { ensureReadModelSchema, READ_MODEL, useSchema } from '../schema';
import { inTransaction } from '../transaction';

export type Prepared =
  | Readonly<{ state: 'ready' }>
  /** seen for the first time: empty tables for queries now; build them from the log */
  | Readonly<{ state: 'new' }>
  /** built by an older version, or tables missing: rebuild from position 0 */
  | Readonly<{ state: 'rebuild' }>
  /** built by a newer Parley: leave it alone */
  | Readonly<{ state: 'newer'; version: number }>;

/**
 * Makes sure the projection's tables exist at this version. A projection seen for the first
 * time gets its (empty) tables and checkpoint row in one transaction.
 */
export const prepareTables = (pool: Pool, projection: Projection): Promise<Prepared> =>
  inTransaction(pool, async (db) => {
    await ensureReadModelSchema(db);
    const row = await lockCheckpoint(db, projection.name);
    if (row === null) {
      await useSchema(db, READ_MODEL);
      await projection.createTables(db);
      await createQueryIndexes(db, projection);
      await replaceCheckpoint(db, {
        projection: projection.name,
        version: projection.version,
        checkpoint: null,
        eventsSeen: 0n,
        tables: projection.tables,
        rebuilt: false,
      });
      return { state: 'new' };
    }
    if (row.version > projection.version) return { state: 'newer', version: row.version };
    const missing = await db.query<{ table: string }>(
      `SELECT t AS table FROM unnest($1::text[]) AS t
       WHERE to_regclass(format('%I.%I', $2::text, t)) IS NULL`,
      [projection.tables, READ_MODEL],
    );
    return row.version < projection.version || missing.rows.length > 0
      ? { state: 'rebuild' }
      : { state: 'ready' };
  });
