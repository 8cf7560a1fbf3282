import {
  WrongExpectedVersionError,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type Checkpoint,
  type EventStore,
  type EventToAppend,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type SubscriptionItem,
} from '../../application/ports/eventStore';
import type { SubjectKeys } from '../../application/ports/subjectKeys';
import { hasSealedField, openData, sealData, subjectOfEvent, type CodecKeys } from './fieldCodec';
import type { KeyedHash } from './matchingSecret';
import { personalFields } from './personalFields';

/**
 * Streams whose id is derived from what is matched (a contact's data, a dialog reference, an
 * Idempotency-Key): the store keeps them under an HMAC of the application's id, so that a
 * stream id never gives away what it was made of (an unkeyed SHA-256 of a phone number is
 * reversed in seconds).
 */
export const KEYED_STREAM_PREFIXES = ['contact-key-', 'dialog-reference-', 'idempotency-'] as const;

/** The id a stream is stored under: keyed for matching streams, as given for every other. */
export const storedStreamId = (hash: KeyedHash, streamId: string): string => {
  const prefix = KEYED_STREAM_PREFIXES.find((p) => streamId.startsWith(p));
  return prefix === undefined ? streamId : `${prefix}${hash(streamId.slice(prefix.length))}`;
};

/** events: what the consumers of one process read within a few seconds of each other */
const OPENED_CACHE_SIZE = 16_384;

/** The keys the codec seals and opens with, and hears destructions from (PostgresSubjectKeys). */
export type ProtectionKeys = CodecKeys &
  Pick<SubjectKeys, 'isDestroyed'> &
  Readonly<{ onDestroyed(listener: (subjectIds: readonly string[]) => void): () => void }>;

type Opened = Readonly<{ subject: string; data: Promise<unknown> }>;

export type ProtectionOptions = Readonly<{
  keys: ProtectionKeys;
  hash: KeyedHash;
  /**
   * The log may still hold matching streams under their unkeyed ids (written before this
   * change, until `npm run keys -- protect-existing`): each is looked up under both ids.
   */
  legacyStreamIds: boolean;
  /** false: appends leave personal fields in plaintext (PRIVACY_ENCRYPTION=false, the bench's baseline) */
  seal?: boolean;
}>;

/**
 * The one boundary between the application and the store where personal data is sealed
 * (SPEC §8): on append every personal field (personalFields.ts) is sealed with its subject's
 * data key; on every read it is opened, or reads as its placeholder once the key is destroyed.
 * Deciders, projections and webhooks see plaintext; the store, its exports and the audit see
 * ciphertext. Wraps any adapter.
 */
export class ProtectedEventStore implements EventStore {
  /**
   * Opened data by event id, shared by every reader of this process: each projection, the
   * outbox and the command handler read each new event, and would each decrypt it. An entry
   * holds the opening while it is under way, so readers that arrive together decrypt once. A
   * hit is served only while its subject's key lives, and a destruction (this process's, or
   * another's through NOTIFY) drops the subject's entries at once: nothing opened outlives it.
   */
  private readonly opened = new Map<string, Opened>();
  /** false: appends leave personal fields in plaintext (the bench's baseline, see setSealing) */
  private sealing: boolean;
  private readonly openedBySubject = new Map<string, Set<string>>();
  private readonly stopHearing: () => void;

  constructor(
    private readonly inner: EventStore,
    private readonly options: ProtectionOptions,
  ) {
    this.sealing = options.seal !== false;
    this.stopHearing = options.keys.onDestroyed((ids) => {
      for (const id of ids) this.forgetSubject(id);
    });
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const sealed = await Promise.all(
      events.map(async (e) =>
        personalFields[e.type] === undefined || !this.sealing
          ? e
          : { ...e, data: await sealData(this.options.keys, e) },
      ),
    );
    // the streams a request relied on are checked where they live, under their keyed ids
    const names = new Map<string, string>([[await this.target(streamId), streamId]]);
    const unchanged = await Promise.all(
      (options.unchanged ?? []).map(async (u) => {
        const stored = await this.target(u.streamId);
        names.set(stored, u.streamId);
        return { ...u, streamId: stored };
      }),
    );
    const [target] = names.keys();
    try {
      return await this.inner.appendToStream(
        target ?? streamId,
        sealed,
        options.unchanged === undefined ? options : { ...options, unchanged },
      );
    } catch (error) {
      // the application knows its streams by their own names: a refusal must name the one it asked
      const asked =
        error instanceof WrongExpectedVersionError ? names.get(error.streamId) : undefined;
      if (
        error instanceof WrongExpectedVersionError &&
        asked !== undefined &&
        asked !== error.streamId
      )
        throw new WrongExpectedVersionError(asked, error.expected, error.actual);
      throw error;
    }
  }

  /**
   * The bench's switch, as PRIVACY_ENCRYPTION=false is at start: appends from now on leave
   * personal fields in plaintext (false) or seal them again (true), so that encryption's cost
   * is measured in one running process rather than across restarts. Never a deployment's.
   */
  setSealing(on: boolean): void {
    this.sealing = on;
  }

  async readStream(
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<readonly RecordedEvent[]> {
    const recorded = await this.inner.readStream(await this.target(streamId), options);
    return this.openAll(recorded);
  }

  async readAll(options?: ReadAllOptions): Promise<ReadAllResult> {
    const page = await this.inner.readAll(options);
    return { ...page, events: await this.openAll(page.events) };
  }

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription {
    const subscription = this.inner.subscribeToAll(options);
    const open = (event: RecordedEvent): Promise<RecordedEvent> => this.openOne(event);
    return {
      unsubscribe: () => subscription.unsubscribe(),
      [Symbol.asyncIterator]: async function* (): AsyncGenerator<SubscriptionItem> {
        for await (const item of subscription)
          yield item.type === 'event' ? { type: 'event', event: await open(item.event) } : item;
      },
    };
  }

  compareCheckpoints(a: Checkpoint | null, b: Checkpoint | null): -1 | 0 | 1 {
    return this.inner.compareCheckpoints(a, b);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    this.stopHearing();
    return this.inner.close();
  }

  /** Events read from the store another way (the trace's index by correlation id), opened. */
  openAll(events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    return Promise.all(events.map((e) => this.openOne(e)));
  }

  private async openOne(event: RecordedEvent): Promise<RecordedEvent> {
    const rule = personalFields[event.type];
    if (rule === undefined) return event;
    // nothing sealed (written before encryption, or with it off): it reads as stored, whatever
    // its subject's key; caching it only churned the cache (a catch-up's profile, docs/performance.md)
    if (!hasSealedField(event.data, rule.fields)) return event;
    const subject = subjectOfEvent(event);
    // no subject: nothing to cache, every sealed field reads as its placeholder
    if (subject === undefined) return { ...event, data: await openData(this.options.keys, event) };
    const hit = this.opened.get(event.id);
    if (hit !== undefined && !(await this.options.keys.isDestroyed(subject)))
      return { ...event, data: await hit.data };
    const data = openData(this.options.keys, event);
    this.remember(event.id, { subject, data });
    // a value that does not open (tampered) is not kept: the next read throws again
    data.catch(() => this.forgetEvent(event.id));
    return { ...event, data: await data };
  }

  private remember(eventId: string, opened: Opened): void {
    this.forgetEvent(eventId);
    this.opened.set(eventId, opened);
    const ids = this.openedBySubject.get(opened.subject) ?? new Set<string>();
    ids.add(eventId);
    this.openedBySubject.set(opened.subject, ids);
    if (this.opened.size > OPENED_CACHE_SIZE)
      this.forgetEvent(this.opened.keys().next().value as string);
  }

  private forgetEvent(eventId: string): void {
    const opened = this.opened.get(eventId);
    if (opened === undefined) return;
    this.opened.delete(eventId);
    const ids = this.openedBySubject.get(opened.subject);
    ids?.delete(eventId);
    if (ids?.size === 0) this.openedBySubject.delete(opened.subject);
  }

  private forgetSubject(subject: string): void {
    for (const eventId of this.openedBySubject.get(subject) ?? []) this.opened.delete(eventId);
    this.openedBySubject.delete(subject);
  }

  /**
   * Where a stream lives: its keyed id, unless the log is not yet protected and only its
   * unkeyed id exists (a claim made before this change keeps working, and keeps one stream).
   */
  private async target(streamId: string): Promise<string> {
    const keyed = storedStreamId(this.options.hash, streamId);
    if (keyed === streamId || !this.options.legacyStreamIds) return keyed;
    if ((await this.inner.readStream(keyed, { maxCount: 1 })).length > 0) return keyed;
    if ((await this.inner.readStream(streamId, { maxCount: 1 })).length > 0) return streamId;
    return keyed;
  }
}
