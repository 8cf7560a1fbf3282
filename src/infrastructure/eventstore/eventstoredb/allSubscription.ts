import type {
  AllStreamRecordedEvent,
  AllStreamResolvedEvent,
  Position,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  type AllSubscription,
  type SubscriptionItem,
} from '../../../application/ports/eventStore';
import { toPortError } from './errorMapping';
import {
  comparePositions,
  encodeCheckpoint,
  isParleyRecord,
  isSystemEvent,
  toRecordedEvent,
} from './mapping';

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

export type SubscriptionSource = Readonly<{
  /** the client's subscription after `from` (exclusive), reporting the server's checkpoints */
  open(from: Position | null, onCheckpoint: (position: Position) => void): ClientSubscription;
  from: Position | null;
  /** the records to hand on; the others become `$checkpoint` items */
  wanted?: (record: AllStreamRecordedEvent) => boolean;
  onStop?: () => void;
  /**
   * Stall detection. A subscription to a hung node receives nothing, and gRPC keepalive does
   * not notice while the node's transport still answers pings. After `ms` without a message
   * the head of $all is read: when the log has moved past what the subscription handed on, or
   * the head cannot be read in time, the subscription is reopened from its last position.
   */
  idle?: Readonly<{ ms: number; head: () => Promise<Position | null> }>;
}>;

class Stalled extends Error {}

const ours = (record: AllStreamRecordedEvent): boolean =>
  !isSystemEvent(record.type) && isParleyRecord(record);

/**
 * The port's subscription over the client's: events in $all order, `$checkpoint` items where
 * the server reported progress or a record was skipped (system events, other applications'
 * events on a shared server, unwanted types), errors in the port's words. A stalled
 * subscription is reopened after the last item it handed on, so nothing is skipped or
 * repeated. A dropped connection ends the iteration with EventStoreUnavailableError; the
 * subscriber resubscribes from its last checkpoint (exclusive, as EventStoreDB's are).
 */
export const allSubscription = ({
  open,
  from,
  wanted = ours,
  onStop = () => undefined,
  idle,
}: SubscriptionSource): AllSubscription => {
  let closed = false;
  let stopping: Promise<void> | undefined;
  /** the position of the last item handed on: where a reopened subscription starts */
  let position = from;
  let source: ClientSubscription | null = null;

  const openSource = (): ClientSubscription => {
    const opened: ClientSubscription = open(position, (at) => {
      if (!opened.destroyed) opened.push(new CheckpointMarker(at));
    });
    source = opened;
    return opened;
  };

  const close = async (subscription: ClientSubscription | null): Promise<void> => {
    if (subscription === null) return;
    await subscription.unsubscribe().catch(() => undefined);
    // cancelling the call does not end the client's stream: destroying it ends the iteration
    subscription.destroy();
  };

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      closed = true;
      onStop();
      await close(source);
    })());

  /** Is the log ahead of what was handed on, or is the server not answering? */
  const stalled = async (ms: number, head: () => Promise<Position | null>): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
    try {
      const last = await Promise.race([head(), late]);
      if (last === 'late') return true;
      return last !== null && (position === null || comparePositions(last, position) > 0);
    } catch {
      return true;
    } finally {
      clearTimeout(timer);
    }
  };

  /** The next item, or Stalled when the subscription went silent while the log moved on. */
  const next = async (
    iterator: AsyncIterator<AllStreamResolvedEvent | CheckpointMarker>,
  ): Promise<IteratorResult<AllStreamResolvedEvent | CheckpointMarker>> => {
    const pending = iterator.next();
    if (idle === undefined) return pending;
    // a reopened subscription's old read ends in an error nobody waits for
    pending.catch(() => undefined);
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const silence = new Promise<null>((resolve) => (timer = setTimeout(resolve, idle.ms, null)));
      const arrived = await Promise.race([pending.then((result) => ({ result })), silence]);
      clearTimeout(timer);
      if (arrived !== null) return arrived.result;
      if (closed) return pending;
      if (await stalled(idle.ms, idle.head)) throw new Stalled();
    }
  };

  // opened at once, as the client's are; reopened after a stall
  let subscription = openSource();

  async function* items(): AsyncGenerator<SubscriptionItem> {
    try {
      for (;;) {
        try {
          const iterator = subscription[Symbol.asyncIterator]();
          for (let step = await next(iterator); !step.done; step = await next(iterator)) {
            const item = step.value;
            if (item instanceof CheckpointMarker) {
              position = item.position;
              yield { type: '$checkpoint', checkpoint: encodeCheckpoint(item.position) };
              continue;
            }
            const record = item.event;
            if (record === undefined) continue;
            position = record.position;
            // a stream-prefix filter lets the system events of matching streams through, and
            // cannot also filter by type
            yield wanted(record)
              ? { type: 'event', event: toRecordedEvent(record) }
              : { type: '$checkpoint', checkpoint: encodeCheckpoint(record.position) };
          }
          if (!closed) throw new EventStoreUnavailableError('EventStoreDB ended the subscription');
          return;
        } catch (error) {
          if (!(error instanceof Stalled) || closed) throw error;
          await close(subscription);
          subscription = openSource();
        }
      }
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
