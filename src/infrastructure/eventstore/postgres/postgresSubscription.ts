import type {
  AllSubscription,
  Checkpoint,
  EventStore,
  SubscribeToAllOptions,
  SubscriptionItem,
} from '../../../application/ports/eventStore';
import { matchesPrefixes } from '../streamFilter';
import type { AppendNotifications } from './appendNotifications';
import type { LogTail, TailPage } from './logTail';

type Options = SubscribeToAllOptions &
  Readonly<{
    pollIntervalMs: number;
    maxPollIntervalMs: number;
    pageSize: number;
    gatherMs: number;
    /** the process's shared read of the log's end, for a subscriber at the head */
    tail?: LogTail;
  }>;

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
  // ends the gathering pause; only unsubscribing does (a notification must not)
  let endGather: () => void = () => undefined;
  const stopListening = notifications.onAppended(() => {
    pending = true;
    wake();
  });

  const ownRead = async (from: Checkpoint | null): Promise<TailPage> => {
    const page = await store.readAll({
      from,
      maxCount: options.pageSize,
      eventTypes: options.eventTypes,
    });
    return { ...page, more: page.events.length === options.pageSize };
  };
  const types = options.eventTypes === undefined ? undefined : new Set(options.eventTypes);
  // behind the head a subscriber reads its own pages (of its types only); at the head it
  // takes its events from the read every subscriber of the process shares
  const read = async (from: Checkpoint | null, atHead: boolean): Promise<Read> => {
    const shared =
      atHead && options.tail !== undefined
        ? await options.tail.read(from, options.pageSize, types)
        : null;
    return shared === null
      ? { page: await ownRead(from), shared: false }
      : { page: shared, shared: true };
  };

  async function* items(): AsyncGenerator<SubscriptionItem> {
    let from: Checkpoint | null = options.from ?? null;
    // polls in a row that no notification started and that found nothing
    let emptyPolls = 0;
    // the next page, asked for while the subscriber applies a full one (catching up)
    let ahead: Promise<Read> | null = null;
    // the last page was short, or shared: the subscriber is at the head
    let atHead = false;
    try {
      while (!closed) {
        const notified = pending;
        pending = false;
        const { page, shared }: Read = await (ahead ?? read(from, atHead));
        ahead = null;
        atHead = shared || !page.more;
        // A full page means more is waiting: the next is read while this one is applied, as a
        // rebuild does, so a catch-up's reads and writes overlap. The same read a moment
        // earlier: it starts after this page's last event, and is gap-safe on its own.
        if (page.more && !shared && !closed) {
          ahead = read(page.checkpoint, false);
          // not awaited if the subscriber unsubscribes first
          ahead.catch(() => undefined);
        }
        let yielded: Checkpoint | null = null;
        for (const event of page.events) {
          if (!matchesPrefixes(event.streamId, options.streamPrefixes)) continue;
          yield { type: 'event', event };
          yielded = event.checkpoint;
        }
        // events left out by a filter still move the subscriber on
        if (page.checkpoint !== null && page.checkpoint !== from && page.checkpoint !== yielded) {
          yield { type: '$checkpoint', checkpoint: page.checkpoint };
        }
        const moved = page.checkpoint !== from;
        from = page.checkpoint;
        if (page.more || closed) continue;
        emptyPolls = notified || moved ? 0 : emptyPolls + 1;
        if (!pending) await sleep(pollDelay(options, emptyPolls), (stop) => (wake = stop));
        // Under load appends commit every few ms: waiting a moment after a wake-up reads them
        // in one page instead of one query per commit (per subscriber: every projection)
        if (!closed) await sleep(options.gatherMs, (stop) => (endGather = stop));
      }
    } finally {
      stopListening();
    }
  }

  const iterator = items();
  // a closed subscription must not wait out its sleep
  const unsubscribe = async (): Promise<void> => {
    closed = true;
    wake();
    endGather();
    await iterator.return(undefined);
  };
  return {
    [Symbol.asyncIterator]: () => iterator,
    unsubscribe,
  };
};

type Read = Readonly<{ page: TailPage; shared: boolean }>;

/**
 * The poll only finds what a notification did not announce: rows a transaction held back
 * after their own notification (visible once it ends, which notifies nobody), or a
 * notification lost between processes. For QUIET_POLLS after a notification or a find the
 * interval stays as it is, so a held-back row shows as soon as before; each empty poll after
 * them doubles it, up to maxPollIntervalMs, so an idle subscriber costs a read every few
 * seconds, not two a second (docs/performance.md).
 */
const pollDelay = (
  options: Readonly<{ pollIntervalMs: number; maxPollIntervalMs: number }>,
  emptyPolls: number,
): number =>
  Math.max(
    options.pollIntervalMs,
    Math.min(
      options.maxPollIntervalMs,
      options.pollIntervalMs * 2 ** Math.max(0, emptyPolls - QUIET_POLLS),
    ),
  );

/** empty polls at the first interval after a notification or a find (2 s at 500 ms) */
const QUIET_POLLS = 4;

/** Resolves after `ms`, or as soon as the function handed to `onWake` is called. */
const sleep = (ms: number, onWake: (stop: () => void) => void): Promise<void> =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    onWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
