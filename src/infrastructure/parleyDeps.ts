import type { Pool } from 'pg';
import type { AggregateCache } from '../application/aggregateCache';
import type { Clock } from '../application/ports/clock';
import type { EventStore } from '../application/ports/eventStore';
import type { IdGenerator } from '../application/ports/ids';
import type { WebhookSecrets } from '../application/ports/webhookSecrets';
import type { StreamLocks } from '../application/streamLocks';
import type { Config } from './config';
import type { OperatorTokens } from './http/auth/staffAuth';
import type { Logger } from './logger';
import type { AddressGuard } from './webhooks/urlGuard';

/** What every module of Parley may use; built once per process by startParley. */
export type ParleyDeps = Readonly<{
  config: Config;
  logger: Logger;
  pool: Pool;
  store: EventStore;
  clock: Clock;
  ids: IdGenerator;
  locks: StreamLocks;
  /** absent when AGGREGATE_CACHE_SIZE is 0 */
  cache?: AggregateCache;
  adminTokenHash: string;
  /** resolves operator bearer tokens for staffAuth */
  operatorTokens: OperatorTokens;
  /** where channel endpoints live, as integrators must call them */
  publicUrl: string;
  /** webhook signing secrets (PostgreSQL, never the event log) */
  webhookSecrets: WebhookSecrets;
  /** where webhooks may go: checked at subscribe time and at every connection */
  webhookAddresses: AddressGuard;
}>;

/** A background job (projection runner, webhook worker): started after HTTP, stopped before the pool. */
export type Worker = Readonly<{ name: string; start(): Promise<void>; stop(): Promise<void> }>;

/** What a route that checks bearer tokens needs (staffAuth). */
export type StaffAuthDeps = Pick<ParleyDeps, 'adminTokenHash' | 'operatorTokens'>;

/** What a route that runs commands needs: the store and what handling a command binds. */
export type CommandDeps = Pick<ParleyDeps, 'store' | 'ids' | 'locks' | 'cache' | 'clock'>;
