import { EventEmitter } from 'node:events';
import {
  WrongExpectedVersionError,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type Checkpoint,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type SubscriptionItem,
} from '../../../application/ports/eventStore';
import { matchesPrefixes, matchesTypes } from '../streamFilter';

const toCheckpoint = (position: number): Checkpoint => String(position) as Checkpoint;
const positionOf = (checkpoint: Checkpoint | null | undefined): number =>
  checkpoint === null || checkpoint === undefined ? -1 : Number(checkpoint);

/** For fast domain and application tests only: nothing survives the process. */
export class MemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly appended = new EventEmitter().setMaxListeners(0);

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    { expectedRevision, unchanged = [] }: AppendOptions,
  ): Promise<AppendResult> {
    for (const u of unchanged) {
      const other = this.streams.get(u.streamId);
      const at = other === undefined ? 'no_stream' : BigInt(other.length - 1);
      if (at !== u.revision) throw new WrongExpectedVersionError(u.streamId, u.revision, at);
    }
    const stream = this.streams.get(streamId);
    const actual = stream === undefined ? null : BigInt(stream.length - 1);
    if (!satisfies(expectedRevision, actual)) {
      throw new WrongExpectedVersionError(streamId, expectedRevision, actual ?? 'no_stream');
    }
    if (events.length === 0) {
      return { nextExpectedRevision: actual ?? -1n, checkpoint: toCheckpoint(this.log.length - 1) };
    }
    const target = stream ?? [];
    const created = new Date();
    for (const e of events) {
      const recorded: RecordedEvent = {
        id: e.id,
        streamId,
        revision: BigInt(target.length),
        type: e.type,
        // a deep copy, as a real store would serialise it
        data: JSON.parse(JSON.stringify(e.data)) as unknown,
        metadata: JSON.parse(JSON.stringify(e.metadata)) as RecordedEvent['metadata'],
        checkpoint: toCheckpoint(this.log.length),
        created,
      };
      target.push(recorded);
      this.log.push(recorded);
    }
    this.streams.set(streamId, target);
    this.appended.emit('appended');
    return {
      nextExpectedRevision: BigInt(target.length - 1),
      checkpoint: toCheckpoint(this.log.length - 1),
    };
  }

  async readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<readonly RecordedEvent[]> {
    const from = Number(options.fromRevision ?? 0n);
    const stream = this.streams.get(streamId) ?? [];
    return stream.slice(from, options.maxCount === undefined ? undefined : from + options.maxCount);
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const maxCount = options.maxCount ?? 1000;
    const events: RecordedEvent[] = [];
    let checkpoint = options.from ?? null;
    for (let i = positionOf(options.from) + 1; i < this.log.length; i++) {
      if (events.length === maxCount) break;
      const event = this.log[i] as RecordedEvent;
      checkpoint = event.checkpoint;
      if (matchesTypes(event.type, options.eventTypes)) events.push(event);
    }
    return { events, checkpoint };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    let closed = false;
    let wake: () => void = () => undefined;
    const onAppend = (): void => wake();
    this.appended.on('appended', onAppend);
    const readPage = (from: Checkpoint | null) =>
      this.readAll({ from, maxCount: options.pageSize ?? 500, eventTypes: options.eventTypes });
    const stopListening = () => this.appended.off('appended', onAppend);
    async function* items(): AsyncGenerator<SubscriptionItem> {
      let from = options.from ?? null;
      try {
        while (!closed) {
          const page = await readPage(from);
          let yielded: Checkpoint | null = null;
          for (const event of page.events) {
            if (!matchesPrefixes(event.streamId, options.streamPrefixes)) continue;
            yield { type: 'event', event };
            yielded = event.checkpoint;
          }
          const moved = page.checkpoint !== from;
          if (moved && page.checkpoint !== null && page.checkpoint !== yielded)
            yield { type: '$checkpoint', checkpoint: page.checkpoint };
          from = page.checkpoint;
          if (moved) continue;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        stopListening();
      }
    }
    const iterator = items();
    return {
      [Symbol.asyncIterator]: () => iterator,
      unsubscribe: async () => {
        closed = true;
        wake();
        await iterator.return(undefined);
      },
    };
  }

  compareCheckpoints(a: Checkpoint | null, b: Checkpoint | null): -1 | 0 | 1 {
    return Math.sign(positionOf(a) - positionOf(b)) as -1 | 0 | 1;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.appended.removeAllListeners();
  }
}

const satisfies = (expected: ExpectedRevision, actual: bigint | null): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === null;
    case 'stream_exists':
      return actual !== null;
    default:
      return actual === expected;
  }
};
