import type { Pool } from 'pg';

export type OperatorSummary = Readonly<{ operatorId: string; name: string; createdAt: string }>;

/** Every operator, oldest first, from the operators read model. */
export const listOperators = async (pool: Pool): Promise<OperatorSummary[]> => {
  const { rows } = await pool.query<{ operator_id: string; name: string; created_at: string }>(
    `SELECT operator_id, name, to_json(created_at) #>> '{}' AS created_at
       FROM read_model.operators ORDER BY created_at, operator_id`,
  );
  return rows.map((r) => ({ operatorId: r.operator_id, name: r.name, createdAt: r.created_at }));
};
