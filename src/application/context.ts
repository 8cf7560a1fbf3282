import type { Actor, EventMetadata } from './ports/eventStore';

/** Who asks and why: becomes the metadata of every event the command appends. */
export type CommandContext = Readonly<{
  correlationId: string;
  causationId: string | null;
  actor: Actor;
  now: Date;
  /** the HTTP request behind the command, when there is one: recorded for the audit trace */
  request?: Readonly<{ route: string; idempotencyKey: string | null }>;
  /** its events send no webhooks (a history import without ?webhooks=true) */
  quiet?: boolean;
}>;

export const SCHEMA_VERSION = 1;

export const metadataFor = (context: CommandContext): EventMetadata => ({
  correlationId: context.correlationId,
  causationId: context.causationId,
  actor: context.actor,
  recordedAt: context.now.toISOString(),
  schemaVersion: SCHEMA_VERSION,
  ...(context.request === undefined ? {} : { route: context.request.route }),
  ...(context.request === undefined || context.request.idempotencyKey === null
    ? {}
    : { idempotencyKey: context.request.idempotencyKey }),
  ...(context.quiet === true ? { quiet: true as const } : {}),
});
