import * as t from 'io-ts';
import { intParam } from '../queryParams';
import type { Middleware } from 'koa';
import type { StaffState } from '../auth/staffAuth';
import type { Pool } from 'pg';
import type { ErrorCode } from '../../../domain/errors';
import type { QueryContract, RouteContract } from '../contract';

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

/** `limit` of a list endpoint. */
export const pageLimit = intParam(1, MAX_LIMIT, DEFAULT_LIMIT);

/** The query of a read without paging: read-your-writes only. */
export const readParams = t.partial({ min_position: t.string });

/** What the read-model parameters every list or read shares do. */
export const readNotes = {
  limit: 'items per page',
  cursor: 'the `next_cursor` of the previous page',
  min_position:
    'an `X-Parley-Position` from a write: wait (up to MIN_POSITION_TIMEOUT_MS) until the read model has applied it',
} as const;

/** The error answers of every read-model read: a bad parameter, no token, not caught up. */
export const readErrors = ['E_VALIDATION', 'E_UNAUTHORIZED', 'E_UNAVAILABLE'] as const;
export const readErrorNotes = {
  400: 'a bad or unknown query parameter; `details` names it',
  401: 'no or a wrong bearer token',
  503: 'the read model did not reach min_position in time, or its tables are not there yet (a first start, or the tables of a new version before its rebuild swaps them in); Retry-After says when to retry',
} as const;

/** What a read says of itself; readContract adds what every read-model read shares. */
export type Read = Omit<RouteContract, 'method' | 'security' | 'query' | 'errors'> &
  Readonly<{
    /** its query; absent: read-your-writes only (readParams) */
    query?: Omit<QueryContract, 'notes'> & Partial<Pick<QueryContract, 'notes'>>;
    /** its own codes, besides readErrors */
    errors?: readonly ErrorCode[];
  }>;

/**
 * A GET of a read model with the staff's bearer token: `min_position`, `limit` and `cursor`
 * say what readNotes say, and a bad parameter, no token or a read model behind answer as
 * readErrors do.
 */
export const readContract = ({ query, errors = [], errorNotes, ...read }: Read): RouteContract => ({
  ...read,
  method: 'get',
  security: 'bearer',
  query: { ...query, codec: query?.codec ?? readParams, notes: { ...readNotes, ...query?.notes } },
  errors: [...readErrors, ...errors],
  errorNotes: { ...readErrorNotes, ...errorNotes },
});
