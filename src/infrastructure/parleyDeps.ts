import type { Pool } from 'pg';
import type { CommandHandler } from '../application/commandHandler';
import type { Clock } from '../application/ports/clock';
import type { EventStore, RecordedEvent } from '../application/ports/eventStore';
import type { IdGenerator } from '../application/ports/ids';
import type { SubjectKeys } from '../application/ports/subjectKeys';
import type { AttachmentStorage } from '../application/ports/attachmentStorage';
import type { AttachmentLinks } from '../application/attachments/attachmentLinks';
import type { WebhookSecrets } from '../application/ports/webhookSecrets';
import type { Config } from './config';
import type { OperatorTokens } from './http/auth/staffAuth';
import type { Logger } from './logger';
import type { AddressGuard } from './webhooks/urlGuard';
import type { SigningKey } from './audit/signingKey';
import type { MasterKey } from './keys/envelope';

/** What every module of Parley may use; built once per process by startParley. */
export type ParleyDeps = Readonly<{
  config: Config;
  logger: Logger;
  pool: Pool;
  /**
   * The read models' runners' connections, apart from `pool`: under a saturated HTTP load
   * every connection of `pool` is busy, and a batch queued behind the requests is lag. Absent:
   * they use `pool`.
   */
  readSidePool?: Pool;
  /** the event log through the privacy codec: personal fields read as plaintext or `[erased]` */
  store: EventStore;
  /** the same log as stored (personal fields sealed): for the audit, which must not decrypt */
  storedEvents: EventStore;
  /** opens events read from storedEvents (or the tables under it): what `store` would have read */
  openStored: (events: readonly RecordedEvent[]) => Promise<readonly RecordedEvent[]>;
  clock: Clock;
  ids: IdGenerator;
  /** the write side's one entry point: store, locks, aggregate cache and ids bound once */
  commands: CommandHandler;
  adminTokenHash: string;
  /** resolves operator and auditor bearer tokens for staffAuth */
  operatorTokens: OperatorTokens;
  /** where channel endpoints live, as integrators must call them */
  publicUrl: string;
  /** webhook signing secrets (PostgreSQL, never the event log) */
  webhookSecrets: WebhookSecrets;
  /** where webhooks may go: checked at subscribe time and at every connection */
  webhookAddresses: AddressGuard;
  /** the same rule for the attachments' fetch worker, names resolved by DNS queries of its own */
  attachmentAddresses: AddressGuard;
  /** signs the audit notary's checkpoints; never in the event log or the database */
  auditKey: SigningKey;
  /** seal and open stored secrets: the current master key first, then the previous one */
  masterKeys: readonly [MasterKey, ...MasterKey[]];
  /** HMAC-SHA256 (hex) with the server's matching secret (keys.hmac_keys): ids that must not give away what they are made of */
  keyedHash: (text: string) => string;
  /** the data keys of contacts (keys.subject_keys): personal fields of events are sealed with them */
  subjectKeys: SubjectKeys;
  /** where kept attachment files live (sealed): PostgreSQL or S3-compatible storage */
  attachmentStorage: AttachmentStorage;
  /** integrators' expiring, signed attachment links */
  attachmentLinks: AttachmentLinks;
}>;

/** A background job (projection runner, webhook worker): started after HTTP, stopped before the pool. */
export type Worker = Readonly<{ name: string; start(): Promise<void>; stop(): Promise<void> }>;

/** What a route that checks bearer tokens needs (staffAuth). */
export type StaffAuthDeps = Pick<ParleyDeps, 'adminTokenHash' | 'operatorTokens'>;

/** What a route that runs commands needs: the store and what handling a command binds. */
export type CommandDeps = Pick<ParleyDeps, 'store' | 'ids' | 'commands' | 'clock'>;
