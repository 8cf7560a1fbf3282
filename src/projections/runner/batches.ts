import type { AllSubscription, SubscriptionItem } from '../../application/ports/eventStore';
import { wakeableDelay } from './wakeableDelay';

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

type Read =
  | { done: false }
  | { done: true; result: IteratorResult<SubscriptionItem> }
  | { done: true; error: unknown };

/**
 * Groups a subscription's items into batches. A read in progress is kept across batches: an
 * async iterator's read cannot be cancelled, only awaited later.
 *
 * No wait here races a promise that outlives it (the stop, the read in progress): every
 * Promise.race leaves a reaction on each promise it is given, so racing those once per item
 * kept one closure per event applied, and a catch-up of 800,000 events ran out of heap
 * (docs/performance.md). Each promise gets one reaction, which wakes whoever waits now.
 */
export class Batches {
  private readonly iterator: AsyncIterator<SubscriptionItem>;
  private slot: { read: Read } | null = null;
  private stopped = false;
  private wake: () => void = () => undefined;

  constructor(
    subscription: AllSubscription,
    private readonly options: BatchOptions,
    /** resolves when the caller stops: the batch in progress is handed back at once */
    stopped: Promise<void>,
  ) {
    this.iterator = subscription[Symbol.asyncIterator]();
    void stopped.then(() => {
      this.stopped = true;
      this.wake();
    });
  }

  private startRead(): void {
    const slot: { read: Read } = { read: { done: false } };
    this.slot = slot;
    this.iterator.next().then(
      (result) => {
        slot.read = { done: true, result };
        this.wake();
      },
      // a read abandoned by a stop may fail later; one still awaited fails the batch
      (error: unknown) => {
        slot.read = { done: true, error };
        this.wake();
      },
    );
  }

  /** Waits up to `ms` for the read in progress; false when it is not done by then. */
  private async settle(ms: number): Promise<boolean> {
    if (this.slot?.read.done !== true && !this.stopped)
      await wakeableDelay(ms, (wake) => (this.wake = wake));
    return this.slot?.read.done === true && !this.stopped;
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
      if (this.slot === null) this.startRead();
      if (!(await this.settle(wait))) return { items, ended: false };
      // settle said it is done
      const read = (this.slot as { read: Read }).read as Exclude<Read, { done: false }>;
      this.slot = null;
      if ('error' in read) throw read.error;
      const { result } = read;
      if (result.done === true) return { items, ended: true };
      if (items.length === 0) firstAt = Date.now();
      items.push(result.value);
      if (result.value.type === 'event') events++;
      if (events >= this.options.maxEvents) return { items, ended: false };
    }
  }
}
