import { randomUUID } from 'node:crypto';
/**
 * The in-memory log behind the fake EventStoreDB server: streams, a global order of
 * (commit, prepare) positions, optimistic concurrency, idempotent appends by event id,
 * tombstones, and listeners for live subscriptions. Positions start beyond 2^53 so that any
 * rounding through Number shows up as a failure. As on a real server since 20.x, every event
 * is its own log record: its commit and prepare positions are equal, and the events of one
 * append have consecutive positions.
 */
export type LogPosition = Readonly<{ commit: bigint; prepare: bigint }>;

export type StoredEvent = Readonly<{
  streamId: string;
  revision: bigint;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
  position: LogPosition;
  /** 100 ns ticks since the Unix epoch, as the server sends them */
  created: bigint;
}>;

export type ProposedEvent = Omit<StoredEvent, 'streamId' | 'revision' | 'position' | 'created'>;

export type Expected = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type AppendOutcome =
  | Readonly<{ ok: true; revision: bigint; position: LogPosition }>
  | Readonly<{ ok: false; current: bigint | 'no_stream' }>
  | Readonly<{ ok: false; deleted: true }>;

export const comparePositions = (a: LogPosition, b: LogPosition): number =>
  a.commit !== b.commit
    ? a.commit < b.commit
      ? -1
      : 1
    : a.prepare < b.prepare
      ? -1
      : a.prepare > b.prepare
        ? 1
        : 0;

/** The revision a hard-deleted stream is left at, as EventStoreDB's tombstone (long.MaxValue). */
const TOMBSTONED = 2n ** 63n - 1n;

export class FakeLog {
  readonly all: StoredEvent[] = [];
  readonly streams = new Map<string, StoredEvent[]>();
  readonly tombstoned = new Set<string>();
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  private next = 2n ** 53n + 1_000n;
  private appends = 0;

  constructor() {
    this.appendSystemEvent('$settings', '$settings');
  }

  append(streamId: string, expected: Expected, proposed: readonly ProposedEvent[]): AppendOutcome {
    if (this.tombstoned.has(streamId)) return { ok: false, deleted: true };
    const stream = this.streams.get(streamId);
    const current = stream === undefined ? 'no_stream' : BigInt(stream.length - 1);
    const repeated = this.alreadyWritten(stream ?? [], expected, proposed);
    if (repeated !== null) return repeated;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === 'no_stream') ||
      (expected === 'stream_exists' && current !== 'no_stream') ||
      expected === current;
    if (!ok) return { ok: false, current };
    // like the server's own statistics: system records interleave with the application's
    if (++this.appends % 7 === 0)
      this.appendSystemEvent(`$stats-127.0.0.1:2113`, '$statsCollected');
    const target = stream ?? [];
    const created = BigInt(Date.now()) * 10_000n;
    const written = proposed.map((event, i): StoredEvent => {
      const position = this.next + BigInt(i) * 97n;
      return {
        ...event,
        streamId,
        revision: BigInt(target.length + i),
        position: { commit: position, prepare: position },
        created,
      };
    });
    this.next += BigInt(proposed.length) * 97n;
    target.push(...written);
    this.streams.set(streamId, target);
    this.publish(written);
    const last = written[written.length - 1] as StoredEvent;
    return { ok: true, revision: last.revision, position: last.position };
  }

  /**
   * EventStoreDB's idempotence: the same event ids sent again at the same expected revision
   * (or with `any`) are acknowledged as the first write was, and written once.
   */
  private alreadyWritten(
    stream: readonly StoredEvent[],
    expected: Expected,
    proposed: readonly ProposedEvent[],
  ): AppendOutcome | null {
    const first = proposed[0];
    if (first === undefined) return null;
    const at = stream.findIndex((e) => e.id === first.id);
    if (at < 0) return null;
    const startsRight =
      expected === 'any' ||
      expected === 'stream_exists' ||
      (expected === 'no_stream' && at === 0) ||
      (typeof expected === 'bigint' && BigInt(at) === expected + 1n);
    const same = proposed.every((p, i) => stream[at + i]?.id === p.id);
    if (!startsRight || !same) return null;
    const last = stream[at + proposed.length - 1] as StoredEvent;
    return { ok: true, revision: last.revision, position: last.position };
  }

  /** A hard delete: the stream can be neither read nor written again; $all keeps its events. */
  tombstone(streamId: string): void {
    this.tombstoned.add(streamId);
    const stream = this.streams.get(streamId) ?? [];
    this.record(streamId, TOMBSTONED, '$streamDeleted', new Uint8Array());
    this.streams.set(streamId, stream);
  }

  appendSystemEvent(streamId: string, type: string): void {
    const stream = this.streams.get(streamId) ?? [];
    stream.push(this.record(streamId, BigInt(stream.length), type, new Uint8Array()));
    this.streams.set(streamId, stream);
  }

  /** An event another application wrote on a shared server: not Parley's metadata, maybe not JSON. */
  appendForeignEvent(streamId: string, type: string, contentType = 'application/json'): void {
    const stream = this.streams.get(streamId) ?? [];
    const metadata = Buffer.from(JSON.stringify({ origin: 'another-app' }));
    const event = this.record(streamId, BigInt(stream.length), type, metadata, contentType);
    stream.push(event);
    this.streams.set(streamId, stream);
  }

  /** The last record of the log. */
  head(): LogPosition {
    return (this.all[this.all.length - 1] as StoredEvent).position;
  }

  /** Called for every event appended from now on, synchronously, in log order. */
  onAppended(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(
    streamId: string,
    revision: bigint,
    type: string,
    metadata: Uint8Array,
    contentType = 'application/json',
  ): StoredEvent {
    const event: StoredEvent = {
      streamId,
      revision,
      id: randomUUID(),
      type,
      contentType,
      data: Buffer.from('{}'),
      metadata,
      position: { commit: this.next, prepare: this.next },
      created: BigInt(Date.now()) * 10_000n,
    };
    this.next += 97n;
    this.publish([event]);
    return event;
  }

  private publish(events: readonly StoredEvent[]): void {
    this.all.push(...events);
    for (const event of events) for (const listener of this.listeners) listener(event);
  }
}
