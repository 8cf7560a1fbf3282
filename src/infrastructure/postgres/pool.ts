import { Pool, type PoolConfig } from 'pg';
import { parleyTypes } from './timestampParser';

export type PoolOptions = Readonly<{
  connectionString: string;
  max?: number;
  applicationName?: string;
}>;

export const createPool = ({
  connectionString,
  max = 10,
  applicationName = 'parley',
}: PoolOptions): Pool => {
  const config: PoolConfig = {
    connectionString,
    max,
    application_name: applicationName,
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
