import { contactDataRecordDecider } from '../domain/claims/contactDataRecord';
import { dialogReferenceDecider } from '../domain/claims/dialogReference';
import { RecentlyUsed } from './recentlyUsed';

type Entry = { decider: object; state: unknown; revision: bigint };

/**
 * Streams whose decider never appends again once the stream has its first event: a reference
 * names one dialog for good, a contact data id was registered for one contact for good
 * (aggregateCache.unit.spec.ts checks it). Their cached state is final and needs no read.
 * The one exception, a reference taken over from an erased contact's dialog, is safe too: a
 * cached holder that was taken over is an erased one, so the caller replaces it, appending with
 * the cached revision, which the store refuses; the claim is then read and its new holder used.
 */
const SETTLED_ONCE_WRITTEN: ReadonlySet<object> = new Set([
  dialogReferenceDecider,
  contactDataRecordDecider,
]);

/**
 * The last state this process knew of recently used streams, with the revision it was folded
 * up to, so that a command reads only the events after it (or none at all) instead of the
 * whole stream. One per process, least recently used first out.
 *
 * Why it cannot change an outcome, even with other processes appending to the same streams:
 * - a state is only ever used as the start of a fold: loadAggregate reads every event after
 *   the cached revision, so it returns what a full read would have returned at that moment;
 *   streams are append-only and their events immutable, so the prefix it skips cannot differ;
 * - handleCommand may decide on the cached state without reading, but then it appends with
 *   that revision as the expected one: if anything was appended since, the store refuses
 *   (WrongExpectedVersion), the entry is caught up and the command decided again, as on any
 *   concurrent append. A decision that appends nothing (a refusal, a no-op) is never answered
 *   from an unchecked entry: the stream is caught up first and the command decided again;
 * - settled streams (above) cannot have events after their first, so their entry is final;
 * - an append that fails for any other reason may or may not have happened: the entry is
 *   dropped and the next command reads the stream from the start;
 * - states are immutable values (evolve returns new ones), so sharing them is safe.
 */
export class AggregateCache {
  private readonly entries: RecentlyUsed<string, Entry>;

  constructor(maxEntries = 20_000) {
    this.entries = new RecentlyUsed(maxEntries);
  }

  get<S>(streamId: string, decider: object): Readonly<{ state: S; revision: bigint }> | null {
    const entry = this.entries.get(streamId);
    // another decider folds the stream into another state: not ours to use
    if (entry === undefined || entry.decider !== decider) return null;
    return { state: entry.state as S, revision: entry.revision };
  }

  /** Streams that do not exist are not kept: they may appear at any moment. */
  set(streamId: string, decider: object, state: unknown, revision: bigint | null): void {
    if (revision === null) this.entries.delete(streamId);
    else this.entries.set(streamId, { decider, state, revision });
  }

  drop(streamId: string): void {
    this.entries.delete(streamId);
  }

  isSettled(decider: object): boolean {
    return SETTLED_ONCE_WRITTEN.has(decider);
  }

  get size(): number {
    return this.entries.size;
  }
}
