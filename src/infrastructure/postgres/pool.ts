import { Pool, type PoolConfig } from 'pg';
import { parleyTypes } from './timestampParser';

export type PoolOptions = Readonly<{
  connectionString: string;
  max?: number;
  applicationName?: string;
  /** PostgreSQL settings of every connection (`-c name=value` at connect) */
  settings?: Readonly<Record<string, string>>;
}>;

/**
 * The setting of the pools whose statements are the same few, prepared and run thousands of
 * times a second with parameters that change nothing in their plans: the log's reads and the
 * read models' batches. PostgreSQL otherwise kept planning them at every call (a typed read of
 * the log 0.55 ms to plan and 0.26 to run; the dialogs' batch 0.74 and 1.58): a fifth of its
 * CPU a message at full load (docs/performance.md). Not for the pool of the HTTP routes, whose
 * searches and lists rely on plans made for their values.
 */
export const GENERIC_PLANS: Readonly<Record<string, string>> = {
  plan_cache_mode: 'force_generic_plan',
};

export const createPool = ({
  connectionString,
  max = 10,
  applicationName = 'parley',
  settings,
}: PoolOptions): Pool => {
  const config: PoolConfig = {
    connectionString,
    max,
    application_name: applicationName,
    ...(settings === undefined
      ? {}
      : {
          options: Object.entries(settings)
            .map(([name, value]) => `-c ${name}=${value}`)
            .join(' '),
        }),
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // a statement that hangs must not hold a request forever
    statement_timeout: 30_000,
    types: parleyTypes,
  };
  const pool = new Pool(config);
  // an idle client losing its connection must not crash the process; the next query reports it
  pool.on('error', () => undefined);
  // nor may a checked-out one between two statements: the pool stops listening to a client it
  // hands out, and an 'error' event nobody listens to is thrown. The client is then not
  // queryable, its next query fails and the pool drops it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
};

/** Errors that mean "the database is not there right now", as opposed to a bug or bad data. */
export const isConnectionError = (error: unknown): boolean => {
  // duck-typed: errors raised by node's net module may come from another realm (jest's vm)
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (
      ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)
    )
      return true;
    // 08: connection exception; 57P: operator intervention (shutdown); 53: insufficient resources;
    // 3D000: the database is gone
    if (/^(08|57P|53)/.test(code) || code === '3D000') return true;
  }
  return (
    typeof message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not currently accepting connections/i.test(
      message,
    )
  );
};
