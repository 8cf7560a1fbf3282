import {
  type AllStreamSubscription,
  ANY,
  type AppendExpectedRevision,
  type EventData,
  excludeSystemEvents,
  type Filter,
  jsonEvent,
  type JSONType,
  NO_STREAM,
  type Position,
  STREAM_EXISTS,
  streamNameFilter,
} from '@eventstore/db-client';
import type {
  Checkpoint,
  EventMetadata,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
} from '../../../application/ports/eventStore';
import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';

// How Parley's records, revisions and positions cross into EventStoreDB and back: checkpoints,
// expected revisions, system and foreign records, metadata, event data, recorded events.

/**
 * An EventStoreDB checkpoint is a $all position: the commit and prepare positions of a record
 * in the transaction file, both unsigned 64-bit. They stay bigint and are written as decimals,
 * so nothing is ever rounded through Number.
 */
export const encodeCheckpoint = ({ commit, prepare }: Position): Checkpoint =>
  `C:${commit}/P:${prepare}` as Checkpoint;

const CHECKPOINT = /^C:(\d{1,20})\/P:(\d{1,20})$/;

/** null is the start of the log; anything that is not ours (a PostgreSQL checkpoint, say) is refused. */
export const decodeCheckpoint = (checkpoint: Checkpoint | null | undefined): Position | null => {
  if (checkpoint === null || checkpoint === undefined) return null;
  const match = CHECKPOINT.exec(checkpoint);
  if (match === null) throw new Error(`not an EventStoreDB checkpoint: ${checkpoint}`);
  return { commit: BigInt(match[1] as string), prepare: BigInt(match[2] as string) };
};

/** EventStoreDB orders $all by commit position, then prepare position. */
export const comparePositions = (a: Position, b: Position): -1 | 0 | 1 => {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
};

export const compareCheckpoints = (a: Checkpoint | null, b: Checkpoint | null): -1 | 0 | 1 => {
  const left = decodeCheckpoint(a);
  const right = decodeCheckpoint(b);
  if (left === null) return right === null ? 0 : -1;
  if (right === null) return 1;
  return comparePositions(left, right);
};

/** The port's expected revision is EventStoreDB's, one to one; the switch makes a new kind fail to compile. */
export const toClientExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return expected;
  }
};

/** The server's check, for the one case it never sees: an append of no events. */
export const satisfiesExpectedRevision = (
  expected: ExpectedRevision,
  actual: bigint | 'no_stream',
): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return actual === expected;
  }
};

/** EventStoreDB's own events ($metadata, $>, $statsCollected, …) have types starting with `$`. */
export const isSystemEvent = (type: string): boolean => type.startsWith('$');

/**
 * The server-side filter of a $all subscription: by stream prefix when given, else every
 * non-system event. The server reports a checkpoint every `checkpointInterval` × 32 records it
 * looked at, matching or not, so a subscriber's position moves on through long stretches of
 * events it does not want.
 */
export const subscriptionFilter = (
  streamPrefixes: readonly string[] | undefined,
  checkpointInterval: number,
  onCheckpoint: (position: Position) => void,
): Filter => {
  const checkpointReached = (_: AllStreamSubscription, position: Position): void =>
    onCheckpoint(position);
  return streamPrefixes !== undefined && streamPrefixes.length > 0
    ? streamNameFilter({ prefixes: [...streamPrefixes], checkpointInterval, checkpointReached })
    : excludeSystemEvents({ checkpointInterval, checkpointReached });
};

/**
 * Parley's own records: JSON with Parley's metadata (an actor and a schema version). On a
 * server shared with other applications the others' events go by on $all; they are skipped
 * there like system events. A record that claims to be Parley's and is malformed is not
 * skipped: reading it fails loudly (toRecordedEvent).
 */
export const isParleyRecord = (
  record: Readonly<{ isJson: boolean; metadata: unknown }>,
): boolean => {
  const { metadata } = record;
  return (
    record.isJson &&
    typeof metadata === 'object' &&
    metadata !== null &&
    !(metadata instanceof Uint8Array) &&
    'actor' in metadata &&
    'schemaVersion' in metadata
  );
};

const actor = t.union([
  t.type({ type: t.literal('integration'), channelId: t.string }),
  t.type({ type: t.literal('operator'), operatorId: t.string }),
  t.type({ type: t.literal('admin') }),
  t.type({ type: t.literal('system') }),
]);

const eventMetadata = t.intersection([
  t.type({
    correlationId: t.string,
    causationId: t.union([t.string, t.null]),
    actor,
    recordedAt: t.string,
    schemaVersion: t.number,
  }),
  t.partial({ route: t.string, idempotencyKey: t.string, quiet: t.literal(true) }),
]);

// the codec must describe the port's type exactly: a field added to one and not the other fails here
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _codecMatchesPort: Same<t.TypeOf<typeof eventMetadata>, EventMetadata> = true;

/**
 * The port's metadata, plus EventStoreDB's own `$correlationId` / `$causationId` so that its UI
 * and its `$by_correlation_id` projection understand our events too.
 */
export const serialiseMetadata = (metadata: EventMetadata): JSONType => ({
  ...metadata,
  $correlationId: metadata.correlationId,
  ...(metadata.causationId === null ? {} : { $causationId: metadata.causationId }),
});

const withoutStoreKeys = (raw: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('$')));

/** Every event Parley reads was written by Parley; one that was not is a bug to surface, loudly. */
export const parseMetadata = (raw: unknown, where: string): EventMetadata => {
  const decoded = eventMetadata.decode(
    typeof raw === 'object' && raw !== null && !(raw instanceof Uint8Array)
      ? withoutStoreKeys(raw)
      : raw,
  );
  if (isLeft(decoded)) throw new Error(`${where} has no Parley metadata`);
  return decoded.right;
};

/** What the client serialises as an `application/json` event body. */
const isJsonData = (data: unknown): data is JSONType =>
  typeof data === 'string' || (typeof data === 'object' && data !== null);

/** The port's event as EventStoreDB's: JSON data, our metadata as JSON, the port's UUID as the event id. */
export const toEventData = (event: EventToAppend): EventData => {
  if (!isJsonData(event.data)) {
    throw new TypeError(
      `event ${event.id} (${event.type}): EventStoreDB stores a JSON object, array or string as data`,
    );
  }
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: serialiseMetadata(event.metadata),
  });
};

/** The fields of the client's recorded event that the port needs (JSON and binary alike). */
export type ClientRecord = Readonly<{
  id: string;
  streamId: string;
  revision: bigint;
  type: string;
  created: Date;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}>;

export const toRecordedEvent = (record: ClientRecord): RecordedEvent => {
  const where = `event ${record.id} of stream ${record.streamId}`;
  if (!record.isJson) throw new Error(`${where} is not JSON: Parley did not write it`);
  if (record.position === undefined) {
    // stream reads carry the $all position only from server 22.6 on
    throw new Error(`EventStoreDB sent no position for ${where}: Parley needs EventStoreDB 22.6+`);
  }
  return {
    id: record.id,
    streamId: record.streamId,
    revision: record.revision,
    type: record.type,
    data: record.data,
    metadata: parseMetadata(record.metadata, where),
    checkpoint: encodeCheckpoint(record.position),
    created: record.created,
  };
};
