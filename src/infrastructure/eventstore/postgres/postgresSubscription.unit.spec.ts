import type { Checkpoint, ReadAllResult } from '../../../application/ports/eventStore';
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
