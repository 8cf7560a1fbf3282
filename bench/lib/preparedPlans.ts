import type { Pool } from 'pg';

/**
 * How often each statement prepared on the pool's connection ran on a generic plan and how
 * often on a custom one: a custom plan is planned again at every run, which for the read
 * models' statements cost about as much as running them (docs/performance.md). For the
 * timing tools, whose pools use one connection at a time.
 */
export const preparedPlans = async (pool: Pool): Promise<string[]> => {
  const { rows } = await pool.query<{ name: string; generic_plans: string; custom_plans: string }>(
    `SELECT name, generic_plans, custom_plans FROM pg_prepared_statements ORDER BY name`,
  );
  return rows.map(
    (p) => `plans  ${p.name.padEnd(40)} generic ${p.generic_plans}, custom ${p.custom_plans}`,
  );
};
