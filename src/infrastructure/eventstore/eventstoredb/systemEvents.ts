import {
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamSubscription,
  type Filter,
  type Position,
} from '@eventstore/db-client';

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
