/**
 * The event store port. It maps one to one onto @eventstore/db-client (appendToStream,
 * readStream, readAll, subscribeToAll) so that every adapter has EventStoreDB's semantics:
 * one stream per append, optimistic concurrency by expected revision, a global log read
 * from an opaque, exclusive checkpoint. Revisions are bigint end to end.
 */

/** `no_stream`: the stream must not exist; `stream_exists`: it must; `any`: no check; bigint: its last revision. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

/** Opaque, adapter-owned position in the global log; compare only with `compareCheckpoints`. */
export type Checkpoint = string & { readonly __checkpoint: unique symbol };

export type Actor =
  | Readonly<{ type: 'integration'; channelId: string }>
  | Readonly<{ type: 'operator'; operatorId: string }>
  | Readonly<{ type: 'admin' }>
  | Readonly<{ type: 'system' }>;

/** Who and what caused an event; written with every event (SPEC §4). */
export type EventMetadata = Readonly<{
  /** the request (or job) that caused the event */
  correlationId: string;
  /** the event or request that directly caused this one */
  causationId: string | null;
  actor: Actor;
  /** when the application decided it, ISO 8601 */
  recordedAt: string;
  schemaVersion: number;
  /** the HTTP route that caused it (`POST /api/dialogs/:id/close`), for the audit trace */
  route?: string;
  /** the request's Idempotency-Key header, when it carried one */
  idempotencyKey?: string;
  /** a history import asked for no webhooks: the outbox queues none for these events */
  quiet?: true;
  /**
   * the contact whose personal data the event holds, when its data does not name it (a reply,
   * a title, a recorded answer): its personal fields are sealed with that contact's key
   */
  subject?: string;
}>;

export type EventToAppend = Readonly<{
  /** a UUID: EventStoreDB requires one */
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}>;

export type RecordedEvent = Readonly<{
  id: string;
  streamId: string;
  /** 0-based position of the event in its stream */
  revision: bigint;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** where the event sits in the global log; resuming from it yields the events after it */
  checkpoint: Checkpoint;
  /** when the store committed it */
  created: Date;
}>;

export type AppendResult = Readonly<{
  /** the stream's revision after the append: pass it as the next expected revision */
  nextExpectedRevision: bigint;
  /** the global position of the last appended event */
  checkpoint: Checkpoint;
}>;

/**
 * A stream the caller read and relied on without appending to it: `revision` is what it read
 * (`no_stream`: it found none). An append that names it fails with WrongExpectedVersionError
 * for that stream (`error.streamId`) when it has moved since, and appends nothing.
 */
export type StreamAt = Readonly<{ streamId: string; revision: bigint | 'no_stream' }>;

export type AppendOptions = Readonly<{
  expectedRevision: ExpectedRevision;
  /**
   * streams that must still be where the caller read them. It writes nothing to them: the
   * append is still one stream's. PostgreSQL checks them in the append's statement;
   * EventStoreDB, which has no such check, reads each just before the append
   * (docs/performance.md says why both keep SPEC §1.1).
   */
  unchanged?: readonly StreamAt[];
}>;

export type ReadStreamOptions = Readonly<{ fromRevision?: bigint; maxCount?: number }>;

export type ReadAllOptions = Readonly<{
  /** exclusive; null or absent reads from the start of the log */
  from?: Checkpoint | null;
  maxCount?: number;
  /**
   * only events of these types, filtered by the store (a projection asks for what it handles);
   * the page's checkpoint then moves past the events it left out
   */
  eventTypes?: readonly string[];
}>;

export type ReadAllResult = Readonly<{
  events: readonly RecordedEvent[];
  /** where the next read resumes; may move past the last event when the adapter skipped records */
  checkpoint: Checkpoint | null;
}>;

/** Tells a subscriber that everything up to `checkpoint` was seen, even when nothing matched. */
export type CheckpointReached = Readonly<{ type: '$checkpoint'; checkpoint: Checkpoint }>;

export type SubscriptionItem =
  Readonly<{ type: 'event'; event: RecordedEvent }> | CheckpointReached;

export type SubscribeToAllOptions = Readonly<{
  from?: Checkpoint | null;
  /** only events of streams starting with one of these prefixes (filtered by the store) */
  streamPrefixes?: readonly string[];
  /** only events of these types (filtered by the store); `$checkpoint` items cover the rest */
  eventTypes?: readonly string[];
  /**
   * how long, at most, the subscription may wait after a wake-up so that several commits come
   * in one read (a hint: adapters that do not gather ignore it)
   */
  gatherMs?: number;
  /**
   * events per read while the subscriber is behind: a runner reads a page per batch (a hint:
   * adapters that do not read in pages ignore it)
   */
  pageSize?: number;
}>;

export interface AllSubscription extends AsyncIterable<SubscriptionItem> {
  unsubscribe(): Promise<void>;
}

export interface EventStore {
  /** Appends to one stream, atomically, if its revision is as expected. */
  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /** Events of one stream in revision order; [] when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]>;
  /** A page of the global log in commit order, after `from`. */
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  /** The global log after `from`, then live, until unsubscribed. Never skips a committed event. */
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /** -1, 0 or 1; `null` is the start of the log. */
  compareCheckpoints(a: Checkpoint | null, b: Checkpoint | null): -1 | 0 | 1;
  /** Is the store reachable? For /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The stream's revision was not the expected one; nothing was appended. */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** the stream's revision, or 'no_stream' when it does not exist */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/** The store could not be reached or timed out; the request may be retried later. */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The stream was deleted for good in the store (an EventStoreDB tombstone, set by an operator:
 * Parley never deletes a stream): it can be neither read nor written again.
 */
export class StreamDeletedError extends Error {
  override readonly name = 'StreamDeletedError';
  constructor(
    readonly streamId: string,
    options?: { cause?: unknown },
  ) {
    super(`stream ${streamId} was deleted from the event store and cannot be used again`, options);
  }
}

export const isWrongExpectedVersion = (error: unknown): error is WrongExpectedVersionError =>
  error instanceof WrongExpectedVersionError;

/** The first of `unchanged` that moved, by `revisionOf`; null when none did. */
export const movedStream = async (
  unchanged: readonly StreamAt[],
  revisionOf: (streamId: string) => Promise<bigint | 'no_stream'>,
): Promise<WrongExpectedVersionError | null> => {
  const actual = await Promise.all(unchanged.map((u) => revisionOf(u.streamId)));
  const i = unchanged.findIndex((u, n) => u.revision !== actual[n]);
  const moved = unchanged[i];
  return moved === undefined
    ? null
    : new WrongExpectedVersionError(
        moved.streamId,
        moved.revision,
        actual[i] as bigint | 'no_stream',
      );
};
