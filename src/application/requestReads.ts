import type { EventStore, StreamAt } from './ports/eventStore';

/**
 * A request's first append named a stream the request had relied on from the cache without
 * reading it, and that stream had moved: the request appended nothing. Run it again with
 * reads (see `consistently`).
 */
export class StaleReadError extends Error {
  override readonly name = 'StaleReadError';
  constructor(readonly streamId: string) {
    super(`stream ${streamId} moved after this process cached it`);
  }
}

/**
 * The streams one request relied on from the aggregate cache without reading them. Until the
 * request first appends, a load answers from the cache and notes the revision here; that
 * first append names them all as `unchanged`, so the store refuses it if any has moved since,
 * and the request, which appended nothing, runs again with reads. After its first append the
 * request reads as before: a retry must never repeat an append. A request that appends
 * nothing reads what it relied on before it answers (`verify`). So no answer rests on a cached
 * state that no check saw (SPEC §1.1, docs/performance.md).
 */
export class RequestReads {
  private readonly relied = new Map<string, bigint | 'no_stream'>();
  private appendedOnce = false;

  /** false: every load reads what came after its cached state, as outside a request */
  constructor(private readonly trustCache: boolean) {}

  /** May a load answer from the cache without reading? */
  get trusting(): boolean {
    return this.trustCache && !this.appendedOnce;
  }

  /** The request relies on `streamId` as it was at `revision` (the first use counts). */
  relyOn(streamId: string, revision: bigint | 'no_stream'): void {
    if (!this.relied.has(streamId)) this.relied.set(streamId, revision);
  }

  /** What the next append must find unchanged: every stream relied on but its own. */
  unchangedFor(streamId: string): StreamAt[] {
    const out: StreamAt[] = [];
    for (const [id, revision] of this.relied)
      if (id !== streamId) out.push({ streamId: id, revision });
    return out;
  }

  /** The request appended: what it relied on was checked by that append. */
  appended(): void {
    this.appendedOnce = true;
    this.relied.clear();
  }

  /** Reads what the request relied on and did not append against: throws if any moved. */
  async verify(store: EventStore, forget: (streamId: string) => void): Promise<void> {
    const relied = [...this.relied];
    this.relied.clear();
    const moved = await Promise.all(
      relied.map(async ([streamId, revision]) => {
        const after = await store.readStream(streamId, {
          fromRevision: revision === 'no_stream' ? 0n : revision + 1n,
          maxCount: 1,
        });
        return after.length > 0 ? streamId : null;
      }),
    );
    const stale = moved.filter((id): id is string => id !== null);
    stale.forEach(forget);
    if (stale.length > 0) throw new StaleReadError(stale[0] as string);
  }
}
