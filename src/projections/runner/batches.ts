import type { AllSubscription, SubscriptionItem } from '../../application/ports/eventStore';

export type BatchOptions = Readonly<{
  /** most events in one batch (one transaction) */
  maxEvents: number;
  /** a batch closes when no item arrived for this long … */
  quietMs: number;
  /** … or when its first item waited this long, so a steady trickle still commits */
  maxWaitMs: number;
  /** an empty batch is handed back after this long, so the caller can look around */
  idleMs: number;
}>;

export type Batch = Readonly<{ items: readonly SubscriptionItem[]; ended: boolean }>;

const TIMEOUT: unique symbol = Symbol('timeout');

/**
 * Groups a subscription's items into batches. A pending `next()` is kept across batches:
 * an async iterator's read cannot be cancelled, only awaited later.
 */
export class Batches {
  private readonly iterator: AsyncIterator<SubscriptionItem>;
  private pending: Promise<IteratorResult<SubscriptionItem>> | null = null;

  constructor(
    subscription: AllSubscription,
    private readonly options: BatchOptions,
    /** resolves when the caller stops: the batch in progress is handed back at once */
    private readonly stopped: Promise<void>,
  ) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  private read(): Promise<IteratorResult<SubscriptionItem>> {
    const read = this.iterator.next();
    // a read abandoned by a stop may fail later: that is not an unhandled rejection
    read.catch(() => undefined);
    return read;
  }

  async next(): Promise<Batch> {
    const items: SubscriptionItem[] = [];
    let events = 0;
    let firstAt = 0;
    for (;;) {
      const now = Date.now();
      const wait =
        items.length === 0
          ? this.options.idleMs
          : Math.min(this.options.quietMs, Math.max(0, firstAt + this.options.maxWaitMs - now));
      this.pending ??= this.read();
      const result = await within(this.pending, wait, this.stopped);
      if (result === TIMEOUT) return { items, ended: false };
      this.pending = null;
      if (result.done === true) return { items, ended: true };
      if (items.length === 0) firstAt = Date.now();
      items.push(result.value);
      if (result.value.type === 'event') events++;
      if (events >= this.options.maxEvents) return { items, ended: false };
    }
  }
}

const within = async <T>(
  work: Promise<T>,
  ms: number,
  stopped: Promise<void>,
): Promise<T | typeof TIMEOUT> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      stopped.then((): typeof TIMEOUT => TIMEOUT),
      new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
};
