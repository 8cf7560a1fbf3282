import type { Projection } from '../projection';

/** Operators and how many live tokens each has (never the token hashes): for the list. */
export const operatorsProjection: Projection = {
  name: 'operators',
  version: 1,
  tables: ['operators'],
  createTables: async (db) => {
    await db.query(`
      CREATE TABLE operators (
        operator_id text PRIMARY KEY,
        name text NOT NULL,
        live_tokens integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
      CREATE INDEX operators_created ON operators (created_at, operator_id);
    `);
  },
  batchedWrites: true,
  derivedOnly: true,
  handlers: {
    OperatorCreated: async (db, { data, recordedAt }) => {
      await db.query(
        `INSERT INTO operators (operator_id, name, created_at, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (operator_id) DO NOTHING`,
        [data.operatorId, data.name, data.createdAt, recordedAt],
      );
    },
    OperatorTokenIssued: async (db, { data, recordedAt }) => {
      await db.query(
        `UPDATE operators SET live_tokens = live_tokens + 1, updated_at = $2 WHERE operator_id = $1`,
        [data.operatorId, recordedAt],
      );
    },
    OperatorTokenRevoked: async (db, { data, recordedAt }) => {
      await db.query(
        `UPDATE operators SET live_tokens = live_tokens - 1, updated_at = $2 WHERE operator_id = $1`,
        [data.operatorId, recordedAt],
      );
    },
  },
};
