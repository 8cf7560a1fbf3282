import type { ClientBase, Pool } from 'pg';
import type { Checkpoint } from '../application/ports/eventStore';

/** A projection's row in read_model.projection_checkpoints. */
export type CheckpointRow = Readonly<{
  projection: string;
  version: number;
  checkpoint: Checkpoint | null;
  eventsSeen: bigint;
  tables: readonly string[];
  updatedAt: Date;
  rebuiltAt: Date | null;
}>;

type Row = {
  projection: string;
  version: number;
  checkpoint: string | null;
  events_seen: string;
  tables: string[];
  updated_at: Date;
  rebuilt_at: Date | null;
};

const COLUMNS = 'projection, version, checkpoint, events_seen, tables, updated_at, rebuilt_at';

const toCheckpointRow = (row: Row): CheckpointRow => ({
  projection: row.projection,
  version: row.version,
  checkpoint: row.checkpoint as Checkpoint | null,
  eventsSeen: BigInt(row.events_seen),
  tables: row.tables,
  updatedAt: row.updated_at,
  rebuiltAt: row.rebuilt_at,
});

const UNDEFINED_TABLE = '42P01';
const UNDEFINED_SCHEMA = '3F000';

/** true when the read-model schema was never created: no projection ever ran. */
export const isMissingReadModel = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === UNDEFINED_TABLE || code === UNDEFINED_SCHEMA;
};

export const readCheckpoints = async (db: Pool | ClientBase): Promise<CheckpointRow[]> => {
  try {
    const result = await db.query<Row>(
      `SELECT ${COLUMNS} FROM read_model.projection_checkpoints ORDER BY projection`,
    );
    return result.rows.map(toCheckpointRow);
  } catch (error) {
    if (isMissingReadModel(error)) return [];
    throw error;
  }
};

export const readCheckpoint = async (
  db: Pool | ClientBase,
  projection: string,
): Promise<CheckpointRow | null> =>
  (await readCheckpoints(db)).find((row) => row.projection === projection) ?? null;

/** The row, locked until the transaction ends: batch commits and swaps queue up on it. */
export const lockCheckpoint = async (
  db: ClientBase,
  projection: string,
): Promise<CheckpointRow | null> => {
  const result = await db.query<Row>(
    `SELECT ${COLUMNS} FROM read_model.projection_checkpoints WHERE projection = $1 FOR UPDATE`,
    [projection],
  );
  const row = result.rows[0];
  return row === undefined ? null : toCheckpointRow(row);
};

/**
 * Moves the checkpoint after a batch, in the batch's transaction: $1 the projection, $2 the
 * checkpoint, $3 events seen.
 */
export const ADVANCE_CHECKPOINT = `UPDATE read_model.projection_checkpoints
  SET checkpoint = $2, events_seen = events_seen + $3, updated_at = now()
  WHERE projection = $1`;

/** Writes the whole row: a new projection, or one whose tables a rebuild just replaced. */
export const replaceCheckpoint = async (
  db: ClientBase,
  row: Readonly<{
    projection: string;
    version: number;
    checkpoint: Checkpoint | null;
    eventsSeen: bigint;
    tables: readonly string[];
    rebuilt: boolean;
  }>,
): Promise<void> => {
  await db.query(
    `INSERT INTO read_model.projection_checkpoints
       (projection, version, checkpoint, events_seen, tables, updated_at, rebuilt_at)
     VALUES ($1, $2, $3, $4, $5, now(), CASE WHEN $6 THEN now() END)
     ON CONFLICT (projection) DO UPDATE SET
       version = EXCLUDED.version, checkpoint = EXCLUDED.checkpoint,
       events_seen = EXCLUDED.events_seen, tables = EXCLUDED.tables,
       updated_at = EXCLUDED.updated_at, rebuilt_at = EXCLUDED.rebuilt_at`,
    [
      row.projection,
      row.version,
      row.checkpoint,
      row.eventsSeen.toString(),
      row.tables,
      row.rebuilt,
    ],
  );
};
