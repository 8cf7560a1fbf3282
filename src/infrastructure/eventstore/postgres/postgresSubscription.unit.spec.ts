import type {
  Checkpoint,
  ReadAllOptions,
  ReadAllResult,
  RecordedEvent,
} from '../../../application/ports/eventStore';
import type { AppendNotifications } from './appendNotifications';
import { postgresSubscription } from './postgresSubscription';

/** A log that never grows, counting the reads, and notifications the test sends. */
const quietLog = () => {
  let reads = 0;
  const listeners = new Set<() => void>();
  const head = 'head' as Checkpoint;
  return {
    reads: () => reads,
    notify: () => listeners.forEach((listener) => listener()),
    store: {
      readAll: async (): Promise<ReadAllResult> => {
        reads++;
        return { events: [], checkpoint: head };
      },
    },
    notifications: {
      onAppended: (listener: () => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    } as unknown as AppendNotifications,
    head,
  };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a PostgreSQL subscription with nothing to read', () => {
  it('given an idle log, when it waits, then its polls grow apart up to the longest interval', async () => {
    const log = quietLog();
    const subscription = postgresSubscription(log.store, log.notifications, {
      from: log.head,
      pollIntervalMs: 20,
      maxPollIntervalMs: 160,
      pageSize: 100,
      gatherMs: 0,
    });
    const reading = subscription[Symbol.asyncIterator]().next();
    await sleep(1_000);
    // every 20 ms would be 50 reads; five 20 apart, then 40, 80 and 160 apart is about 12
    expect(log.reads()).toBeGreaterThanOrEqual(7);
    expect(log.reads()).toBeLessThanOrEqual(20);

    // a notification reads at once, and the polls after it are close together again
    const before = log.reads();
    log.notify();
    await sleep(250);
    expect(log.reads()).toBeGreaterThanOrEqual(before + 3);
    await subscription.unsubscribe();
    await reading;
  });
});

/** A log of `pages` full pages and a short one; each read waits until the test lets it answer. */
const pagedLog = (pageSize: number, pages: number) => {
  const events: RecordedEvent[] = Array.from({ length: pageSize * pages + 1 }, (_, i) => ({
    id: `e${i}`,
    streamId: 's',
    revision: BigInt(i),
    type: 'Probe',
    data: { i },
    metadata: {} as RecordedEvent['metadata'],
    checkpoint: String(i) as Checkpoint,
    created: new Date(0),
  }));
  const asked: (string | null)[] = [];
  return {
    asked,
    events,
    store: {
      readAll: async (options: ReadAllOptions = {}): Promise<ReadAllResult> => {
        asked.push(options.from ?? null);
        const start =
          options.from === undefined || options.from === null ? 0 : Number(options.from) + 1;
        const page = events.slice(start, start + (options.maxCount ?? 1000));
        return {
          events: page,
          checkpoint: page[page.length - 1]?.checkpoint ?? options.from ?? null,
        };
      },
    },
  };
};

describe('a PostgreSQL subscription behind the head', () => {
  it('given full pages waiting, when the subscriber takes the first event of one, then the next page is already asked for, and the events come once each, in order', async () => {
    const log = pagedLog(3, 2);
    const subscription = postgresSubscription(log.store, quietLog().notifications, {
      pollIntervalMs: 1_000,
      maxPollIntervalMs: 1_000,
      pageSize: 3,
      gatherMs: 0,
    });
    const iterator = subscription[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toMatchObject({ type: 'event', event: { id: 'e0' } });
    // the first page is in hand and not applied yet: the second is on its way
    expect(log.asked).toEqual([null, '2']);
    const seen = [first.value];
    while (seen.length < log.events.length) seen.push((await iterator.next()).value);
    expect(seen.map((item) => (item as { event: RecordedEvent }).event.id)).toEqual(
      log.events.map((e) => e.id),
    );
    // a short page is the head: nothing is read ahead of it
    expect(log.asked).toEqual([null, '2', '5']);
    await subscription.unsubscribe();
  });
});
