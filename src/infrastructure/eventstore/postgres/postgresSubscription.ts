import type {
  AllSubscription,
  Checkpoint,
  EventStore,
  SubscribeToAllOptions,
  SubscriptionItem,
} from '../../../application/ports/eventStore';
import { matchesPrefixes } from '../streamFilter';
import type { AppendNotifications } from './appendNotifications';

type Options = SubscribeToAllOptions & Readonly<{ pollIntervalMs: number; pageSize: number }>;

/**
 * subscribeToAll on PostgreSQL: page through the gap-safe global read, then wait for a commit
 * notification (or the poll interval: rows held back by a long transaction appear without one).
 */
export const postgresSubscription = (
  store: Pick<EventStore, 'readAll'>,
  notifications: AppendNotifications,
  options: Options,
): AllSubscription => {
  let closed = false;
  let pending = false;
  let wake: () => void = () => undefined;
  const stopListening = notifications.onAppended(() => {
    pending = true;
    wake();
  });

  async function* items(): AsyncGenerator<SubscriptionItem> {
    let from: Checkpoint | null = options.from ?? null;
    try {
      while (!closed) {
        pending = false;
        const page = await store.readAll({ from, maxCount: options.pageSize });
        let skipped = false;
        for (const event of page.events) {
          if (matchesPrefixes(event.streamId, options.streamPrefixes))
            yield { type: 'event', event };
          else skipped = true;
        }
        if (page.checkpoint !== null && page.checkpoint !== from && skipped) {
          yield { type: '$checkpoint', checkpoint: page.checkpoint };
        }
        from = page.checkpoint;
        if (page.events.length === options.pageSize || pending || closed) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      stopListening();
    }
  }

  const iterator = items();
  return {
    [Symbol.asyncIterator]: () => iterator,
    unsubscribe: async () => {
      closed = true;
      wake();
      await iterator.return(undefined);
    },
  };
};
