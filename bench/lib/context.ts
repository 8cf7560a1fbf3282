import type { BenchServer } from './database';

export type BenchOptions = Readonly<{
  /** seconds of each measured phase */
  durationS: number;
  warmupS: number;
  /** concurrent connections of the load (and concurrent callers of the baseline) */
  connections: number;
  /** DATABASE_POOL_SIZE of Parley, and the baseline's pool */
  poolSize: number;
  customers: number;
  mergePairs: number;
  /** events in the log the projections rebuild from */
  logEvents: number;
  /** contacts the search runs over */
  searchContacts: number;
  /** dialogs of the dialog list's log, and the contacts they belong to */
  dialogs: number;
  dialogContacts: number;
  /** pairs of phases (off, on) per feature whose cost is measured */
  costRounds: number;
  /** where to write V8 CPU profiles of the Parley process, or null */
  profileDir: string | null;
  /** report the top statements from pg_stat_statements */
  statements: boolean;
  /** sample pg_stat_activity and pg_locks during the full-load phase, and EXPLAIN the appends */
  waits: boolean;
}>;

export type BenchContext = Readonly<{
  server: BenchServer;
  options: BenchOptions;
  log(line: string): void;
}>;

/** A section whose feature is not there yet says so instead of printing a number. */
export type NotAvailable = Readonly<{ status: 'not available'; reason: string }>;

export const notAvailable = (reason: string): NotAvailable => ({ status: 'not available', reason });
