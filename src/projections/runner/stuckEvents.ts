import type { ClientBase, Pool } from 'pg';
import type { Checkpoint, RecordedEvent } from '../../application/ports/eventStore';
import { isMissingReadModel } from '../checkpoints';

/** The event a projection cannot apply, as /readyz, /metrics and the CLI report it. */
export type StuckEvent = Readonly<{
  projection: string;
  streamId: string;
  revision: bigint;
  /** the event's checkpoint in the global log */
  position: Checkpoint;
  eventType: string;
  /** the error, with quoted values left out: they may be personal data */
  error: string;
  /** the first failed attempt on this event */
  since: Date;
  lastAttemptAt: Date;
  attempts: number;
}>;

/** `dialogs cannot apply DialogOpened dialog-…@0 at position …: <error>` */
export const stuckInWords = (stuck: StuckEvent): string =>
  `${stuck.projection} cannot apply ${stuck.eventType} ${stuck.streamId}@${stuck.revision} at position ${stuck.position} (since ${stuck.since.toISOString()}, ${stuck.attempts} attempts): ${stuck.error}`;

/** Thrown by the runner when the one event of a transaction fails to apply. */
export class UnappliableEvent extends Error {
  override readonly name = 'UnappliableEvent';
  constructor(
    readonly event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(
      `cannot apply ${event.type} ${event.streamId}@${event.revision}: ${describeError(cause)}`,
    );
  }
}

/**
 * An error in words fit for logs and probes: the SQLSTATE or name and the message, without
 * its quoted parts (PostgreSQL quotes the offending input, which may be someone's name).
 */
export const describeError = (error: unknown): string => {
  const { code, message, name } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
    name?: unknown;
  };
  const text = typeof message === 'string' ? message : String(error);
  const label = typeof code === 'string' ? code : typeof name === 'string' ? name : 'Error';
  return `${label}: ${text.replace(/"(?:[^"\\]|\\.)*"/g, '"…"')}`.slice(0, 500);
};

/** One row per projection that cannot apply an event; shared by every process, read by the CLI. */
export const createStuckEventsTable = async (db: ClientBase): Promise<void> => {
  await db.query(`
    CREATE TABLE IF NOT EXISTS read_model.projection_stuck_events (
      projection text PRIMARY KEY,
      stream_id text NOT NULL,
      revision bigint NOT NULL,
      position text NOT NULL,
      event_type text NOT NULL,
      error text NOT NULL,
      since timestamptz NOT NULL,
      last_attempt_at timestamptz NOT NULL,
      attempts integer NOT NULL
    )`);
};

/** Records a failed attempt; attempts on the same event add up, another event starts over. */
export const recordStuckEvent = async (
  db: Pool | ClientBase,
  projection: string,
  failure: UnappliableEvent,
): Promise<void> => {
  const { event } = failure;
  await db.query(
    `INSERT INTO read_model.projection_stuck_events AS s
       (projection, stream_id, revision, position, event_type, error, since, last_attempt_at, attempts)
     VALUES ($1, $2, $3, $4, $5, $6, now(), now(), 1)
     ON CONFLICT (projection) DO UPDATE SET
       stream_id = EXCLUDED.stream_id, revision = EXCLUDED.revision, event_type = EXCLUDED.event_type,
       error = EXCLUDED.error, last_attempt_at = now(),
       since = CASE WHEN s.position = EXCLUDED.position THEN s.since ELSE now() END,
       attempts = CASE WHEN s.position = EXCLUDED.position THEN s.attempts + 1 ELSE 1 END,
       position = EXCLUDED.position`,
    [
      projection,
      event.streamId,
      event.revision.toString(),
      event.checkpoint,
      event.type,
      describeError(failure.cause),
    ],
  );
};

/** The projection moves again ($1: the projection): its row goes, in the batch's transaction. */
export const CLEAR_STUCK_EVENT =
  'DELETE FROM read_model.projection_stuck_events WHERE projection = $1';

type Row = {
  projection: string;
  stream_id: string;
  revision: string;
  position: string;
  event_type: string;
  error: string;
  since: Date;
  last_attempt_at: Date;
  attempts: number;
};

export const readStuckEvents = async (db: Pool | ClientBase): Promise<StuckEvent[]> => {
  try {
    const { rows } = await db.query<Row>(
      'SELECT * FROM read_model.projection_stuck_events ORDER BY projection',
    );
    return rows.map((r) => ({
      projection: r.projection,
      streamId: r.stream_id,
      revision: BigInt(r.revision),
      position: r.position as Checkpoint,
      eventType: r.event_type,
      error: r.error,
      since: r.since,
      lastAttemptAt: r.last_attempt_at,
      attempts: r.attempts,
    }));
  } catch (error) {
    // no projection ever ran here: nothing is stuck
    if (isMissingReadModel(error)) return [];
    throw error;
  }
};

/**
 * The operator's last resort (docs/operations.md, "A poison event"): events a projection
 * leaves out, by position, kept so that a rebuild leaves them out too.
 */
export const createSkippedEventsTable = async (db: ClientBase): Promise<void> => {
  await db.query(`
    CREATE TABLE IF NOT EXISTS read_model.projection_skipped_events (
      projection text NOT NULL,
      position text NOT NULL,
      stream_id text NOT NULL,
      revision bigint NOT NULL,
      event_type text NOT NULL,
      error text NOT NULL,
      skipped_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (projection, position)
    )`);
};

/** Skips the event the projection is stuck on; false when it is not stuck at `position`. */
export const skipStuckEvent = async (
  db: Pool | ClientBase,
  projection: string,
  position: string,
): Promise<boolean> => {
  const { rowCount } = await db.query(
    `INSERT INTO read_model.projection_skipped_events
       (projection, position, stream_id, revision, event_type, error)
     SELECT projection, position, stream_id, revision, event_type, error
     FROM read_model.projection_stuck_events WHERE projection = $1 AND position = $2
     ON CONFLICT DO NOTHING`,
    [projection, position],
  );
  return (rowCount ?? 0) > 0;
};

/** The positions of the events an operator told this projection to leave out. */
export const skippedPositions = async (
  db: Pool | ClientBase,
  projection: string,
): Promise<ReadonlySet<string>> => {
  try {
    const { rows } = await db.query<{ position: string }>(
      'SELECT position FROM read_model.projection_skipped_events WHERE projection = $1',
      [projection],
    );
    return new Set(rows.map((r) => r.position));
  } catch (error) {
    if (isMissingReadModel(error)) return new Set();
    throw error;
  }
};
