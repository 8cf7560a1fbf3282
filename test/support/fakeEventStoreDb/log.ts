import { randomUUID } from 'node:crypto';
/**
 * The in-memory log behind the fake EventStoreDB server: streams, a global order of
 * (commit, prepare) positions, optimistic concurrency, and listeners for live subscriptions.
 * Positions start beyond 2^53 so that any rounding through Number shows up as a failure, and
 * the events of one append share their commit position (prepare positions tell them apart),
 * the harder of the shapes EventStoreDB's positions can take.
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
  | Readonly<{ ok: false; current: bigint | 'no_stream' }>;

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

export class FakeLog {
  readonly all: StoredEvent[] = [];
  readonly streams = new Map<string, StoredEvent[]>();
  private readonly listeners = new Set<(event: StoredEvent) => void>();
  private next = 2n ** 53n + 1_000n;
  private appends = 0;

  constructor() {
    this.appendSystemEvent('$settings', '$settings');
  }

  append(streamId: string, expected: Expected, proposed: readonly ProposedEvent[]): AppendOutcome {
    const stream = this.streams.get(streamId);
    const current = stream === undefined ? 'no_stream' : BigInt(stream.length - 1);
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
    const commit = this.next + BigInt(proposed.length - 1) * 97n;
    const created = BigInt(Date.now()) * 10_000n;
    const written = proposed.map((event, i): StoredEvent => {
      const stored = {
        ...event,
        streamId,
        revision: BigInt(target.length + i),
        position: { commit, prepare: this.next + BigInt(i) * 97n },
        created,
      };
      return stored;
    });
    this.next = commit + 97n;
    target.push(...written);
    this.streams.set(streamId, target);
    this.publish(written);
    const last = written[written.length - 1] as StoredEvent;
    return { ok: true, revision: last.revision, position: last.position };
  }

  appendSystemEvent(streamId: string, type: string): void {
    const stream = this.streams.get(streamId) ?? [];
    const event: StoredEvent = {
      streamId,
      revision: BigInt(stream.length),
      id: randomUUID(),
      type,
      contentType: 'application/json',
      data: Buffer.from('{}'),
      metadata: new Uint8Array(),
      position: { commit: this.next, prepare: this.next },
      created: BigInt(Date.now()) * 10_000n,
    };
    this.next += 97n;
    stream.push(event);
    this.streams.set(streamId, stream);
    this.publish([event]);
  }

  /** Called for every event appended from now on, synchronously, in log order. */
  onAppended(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(events: readonly StoredEvent[]): void {
    this.all.push(...events);
    for (const event of events) for (const listener of this.listeners) listener(event);
  }
}
