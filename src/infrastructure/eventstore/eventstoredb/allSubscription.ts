import type { AllStreamResolvedEvent, Position } from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  type AllSubscription,
  type SubscriptionItem,
} from '../../../application/ports/eventStore';
import { encodeCheckpoint } from './checkpoint';
import { toPortError } from './errorMapping';
import { toRecordedEvent } from './recordedEvent';
import { isSystemEvent } from './systemEvents';

/**
 * A checkpoint the server reported. It is pushed into the client's own stream from inside
 * checkpointReached (which the client awaits while transforming that response), so it reaches
 * the subscriber after every event the server sent before it, never ahead of one.
 */
export class CheckpointMarker {
  constructor(readonly position: Position) {}
}

/** What this adapter uses of the client's AllStreamSubscription (a Node Transform stream). */
export type ClientSubscription = AsyncIterable<AllStreamResolvedEvent | CheckpointMarker> &
  Readonly<{
    push(chunk: unknown): boolean;
    destroy(error?: Error): unknown;
    destroyed: boolean;
    unsubscribe(): Promise<void>;
  }>;

/**
 * The port's subscription over the client's: events in $all order, `$checkpoint` items where
 * the server reported progress or a system event was skipped, errors in the port's words. A
 * dropped connection ends the iteration with EventStoreUnavailableError; the subscriber
 * resubscribes from its last checkpoint (exclusive, as EventStoreDB's subscriptions are).
 */
export const allSubscription = (
  open: (onCheckpoint: (position: Position) => void) => ClientSubscription,
  onStop: () => void = () => undefined,
  /** the records to hand on; the others become `$checkpoint` items */
  wanted: (type: string) => boolean = (type) => !isSystemEvent(type),
): AllSubscription => {
  let closed = false;
  let stopping: Promise<void> | undefined;
  const source: ClientSubscription = open((position) => {
    if (!source.destroyed) source.push(new CheckpointMarker(position));
  });

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      closed = true;
      onStop();
      await source.unsubscribe().catch(() => undefined);
      // cancelling the call does not end the client's stream: destroying it ends the iteration
      source.destroy();
    })());

  async function* items(): AsyncGenerator<SubscriptionItem> {
    try {
      for await (const item of source) {
        if (item instanceof CheckpointMarker) {
          yield { type: '$checkpoint', checkpoint: encodeCheckpoint(item.position) };
          continue;
        }
        const record = item.event;
        if (record === undefined) continue;
        // a stream-prefix filter lets the system events of matching streams through, and
        // cannot also filter by type
        if (!wanted(record.type)) {
          yield { type: '$checkpoint', checkpoint: encodeCheckpoint(record.position) };
        } else {
          yield { type: 'event', event: toRecordedEvent(record) };
        }
      }
      if (!closed) throw new EventStoreUnavailableError('EventStoreDB ended the subscription');
    } catch (error) {
      if (!closed) throw toPortError(error);
    } finally {
      await stop();
    }
  }

  const iterator = items();
  return {
    [Symbol.asyncIterator]: () => iterator,
    unsubscribe: async () => {
      await stop();
      await iterator.return(undefined);
    },
  };
};
