import type {
  Checkpoint,
  ReadAllResult,
  RecordedEvent,
} from '../../../application/ports/eventStore';

/** A subscriber's page: `more` when the log held more after it at the read's time. */
export type TailPage = ReadAllResult & Readonly<{ more: boolean }>;

export type LogTailOptions = Readonly<{
  /** the gap-safe read of the log after `from`, every type */
  readAll: (from: Checkpoint | null, maxCount: number) => Promise<ReadAllResult>;
  compare: (a: Checkpoint | null, b: Checkpoint | null) => -1 | 0 | 1;
  /** events a read of the log asks for */
  pageSize: number;
  /** events kept for subscribers a little behind; a subscriber behind them reads on its own */
  keep: number;
  /**
   * How long a read waits for more callers to join it before it is sent, in ms; 0: to the end
   * of this turn of the event loop (setImmediate)
   */
  joinMs?: number;
}>;

/**
 * The end of the log, read once for every subscriber of a process at its head. Each of the
 * read models, the outbox, the attachment queue and the notary used to read the log after
 * every wake-up, each its types (seven reads a wake-up); they now share one read of every
 * type and take their own from it in process (docs/performance.md, "One read of the log").
 *
 * A caller is answered from a read sent after it asked, so it sees every event committed
 * before its call, as its own read would have: callers that ask before a read is sent join
 * it; one asking while a read is in flight waits for the next. The events kept are every
 * event of the log after `start` up to and including `end`, each read gap-safe from `end`,
 * so a page cut from them skips nothing that a read of its own would return.
 */
export class LogTail {
  private events: RecordedEvent[] = [];
  private start: Checkpoint | null = null;
  private end: Checkpoint | null = null;
  /** bumped when the window starts over (0: not begun): a read from the old end is dropped */
  private generation = 0;
  /** the last read came back full: the log holds more than the window */
  private behind = false;
  /** reads sent so far, and the one the window is as of (-1: started over since) */
  private sent = 0;
  private freshAs = -1;
  /** the read not sent yet, that callers join */
  private next: Promise<void> | null = null;
  /** the read in flight (or the last one), which the next one waits for */
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly options: LogTailOptions) {}

  /**
   * Up to `maxCount` events after `from` of `types` (every type when undefined), as read
   * after this call; null when `from` is before the events kept (the caller reads itself).
   */
  async read(
    from: Checkpoint | null,
    maxCount: number,
    types?: ReadonlySet<string>,
  ): Promise<TailPage | null> {
    if (this.generation === 0) this.anchor(from);
    // a caller within the window with a full page waiting needs no read
    const kept = this.within(from) ? this.cut(from, maxCount, types) : null;
    if (kept?.more === true && kept.events.length === maxCount) return kept;
    const asked = this.sent;
    let restarted = false;
    for (;;) {
      await this.refreshed();
      // the window started over after the read this caller waited for: wait for the next
      if (this.freshAs <= asked) continue;
      if (this.within(from)) return this.cut(from, maxCount, types);
      const { compare } = this.options;
      // before the window, or past a head this process has already read: its own read
      if (compare(from, this.start) < 0 || !this.behind || restarted) return null;
      // past a window left behind the log (no subscriber at the head for a while): rather
      // than read up to `from` a page at a time, start over there
      restarted = true;
      this.anchor(from);
    }
  }

  private within(from: Checkpoint | null): boolean {
    const { compare } = this.options;
    return compare(from, this.start) >= 0 && compare(from, this.end) <= 0;
  }

  private anchor(from: Checkpoint | null): void {
    this.generation++;
    this.events = [];
    this.start = from;
    this.end = from;
    this.behind = false;
    this.freshAs = -1;
  }

  /** The window's events after `from` (within it) of `types`, `maxCount` at most. */
  private cut(from: Checkpoint | null, maxCount: number, types?: ReadonlySet<string>): TailPage {
    const events: RecordedEvent[] = [];
    for (let i = this.indexAfter(from); i < this.events.length; i++) {
      const event = this.events[i] as RecordedEvent;
      if (types !== undefined && !types.has(event.type)) continue;
      events.push(event);
      if (events.length === maxCount) return { events, checkpoint: event.checkpoint, more: true };
    }
    return { events, checkpoint: this.end, more: this.behind };
  }

  /** the index of the first event kept after `from` (binary search: the window is in log order) */
  private indexAfter(from: Checkpoint | null): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.options.compare((this.events[middle] as RecordedEvent).checkpoint, from) <= 0)
        low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * A read sent after this call. Subscribers woken by one notification end their gathering
   * pauses a moment apart, each in its own turn of the event loop, further apart on a busy
   * host (their timers were set in different milliseconds): a read waits `joinMs` for them,
   * against the 20 ms they gathered for.
   */
  private refreshed(): Promise<void> {
    if (this.next !== null) return this.next;
    const { joinMs = 0 } = this.options;
    const next = this.current
      .then(
        () =>
          new Promise<void>((resolve) =>
            joinMs > 0 ? setTimeout(resolve, joinMs) : setImmediate(resolve),
          ),
      )
      .then(() => {
        this.next = null;
        return this.readMore(++this.sent);
      });
    this.next = next;
    this.current = next.catch(() => undefined);
    return next;
  }

  private async readMore(id: number): Promise<void> {
    const { generation } = this;
    const page = await this.options.readAll(this.end, this.options.pageSize);
    if (generation !== this.generation) return;
    this.freshAs = id;
    for (const event of page.events) this.events.push(event);
    this.end = page.checkpoint;
    this.behind = page.events.length >= this.options.pageSize;
    const over = this.events.length - this.options.keep;
    if (over > 0) {
      this.start = (this.events[over - 1] as RecordedEvent).checkpoint;
      this.events.splice(0, over);
    }
  }
}
