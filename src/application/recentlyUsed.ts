type Slot<V> = { value: V; at: number };

/**
 * A bounded map, the least recently used entry out first. A Map kept in use order by deleting
 * and setting an entry again on every read is V8's slow case when one key is read far more
 * than the others (a channel's stream, read by every request of its integration): at 20,000
 * entries such a read took 13 µs instead of under one, 6 % of Parley's CPU at full load
 * (docs/performance.md). So a read moves an entry to the newest end only once half the
 * entries or more went in after it: the `maxEntries / 2` keys used last (set, or read and
 * found) are always kept, where exact LRU keeps `maxEntries` (recentlyUsed.unit.spec.ts), and
 * a hot key costs no writes at all.
 */
export class RecentlyUsed<K, V> {
  private readonly slots = new Map<K, Slot<V>>();
  /** insertions so far, moves included: an entry's `at` says how far back it went in */
  private clock = 0;

  constructor(readonly maxEntries: number) {}

  get(key: K): V | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (this.clock - slot.at >= this.maxEntries / 2) {
      this.slots.delete(key);
      slot.at = ++this.clock;
      this.slots.set(key, slot);
    }
    return slot.value;
  }

  /** The value without counting it as a use. */
  peek(key: K): V | undefined {
    return this.slots.get(key)?.value;
  }

  set(key: K, value: V): void {
    this.slots.delete(key);
    this.slots.set(key, { value, at: ++this.clock });
    while (this.slots.size > this.maxEntries) {
      const oldest = this.slots.keys().next();
      if (oldest.done === true) break;
      this.slots.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.slots.delete(key);
  }

  clear(): void {
    this.slots.clear();
  }

  get size(): number {
    return this.slots.size;
  }
}
