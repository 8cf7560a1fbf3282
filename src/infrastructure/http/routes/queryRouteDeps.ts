import type { Middleware } from 'koa';
import type { StaffState } from '../auth/staffAuth';
import type { Pool } from 'pg';

/** What the read-model query routes need from the composition root. */
export type QueryRouteDeps = Readonly<{
  pool: Pool;
  /** staffAuth: the admin token or an operator's */
  auth: Middleware<StaffState>;
  /** waits for `?min_position` on the named read models (read-your-writes) */
  readYourWrites: (projections: readonly string[]) => Middleware;
}>;

/** Page sizes of list endpoints: `limit` from 1 to MAX_LIMIT, DEFAULT_LIMIT when absent. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
