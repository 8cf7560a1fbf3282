/**
 * Serialises commands on one stream within this process, so concurrent requests for one
 * dialog queue up instead of failing each other's optimistic appends. Across processes the
 * expected revision still decides; this only removes needless conflicts.
 */
export class StreamLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async withLock<T>(streamId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(streamId) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(streamId, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(streamId) === tail) this.tails.delete(streamId);
    }
  }
}
