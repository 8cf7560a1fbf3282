import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  type Position,
} from '@eventstore/db-client';
import {
  WrongExpectedVersionError,
  movedStream,
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
} from '../../../application/ports/eventStore';
import { allSubscription } from './allSubscription';
import {
  classifyFailure,
  isNotLeader,
  isStreamNotFound,
  toPortError,
  type AppendContext,
} from './errorMapping';
import {
  compareCheckpoints,
  decodeCheckpoint,
  encodeCheckpoint,
  isParleyRecord,
  isSystemEvent,
  satisfiesExpectedRevision,
  subscriptionFilter,
  toClientExpectedRevision,
  toEventData,
  toRecordedEvent,
} from './mapping';
import { collectRead, readAllPage, withDeadline } from './reads';
import { matchesTypes } from '../streamFilter';

export type EventStoreDbOptions = Readonly<{
  /** a `$checkpoint` every this many × 32 records the server looked at */
  checkpointInterval?: number;
  /** a read that receives nothing for this long fails as unavailable, in ms */
  readIdleTimeoutMs?: number;
  /** an append not answered within this long fails as unavailable, in ms (the server's own is 10 s) */
  appendTimeoutMs?: number;
  /** a subscription silent this long is checked for a stall (see allSubscription), in ms */
  subscriptionIdleMs?: number;
}>;

const DEFAULTS: Required<EventStoreDbOptions> = {
  checkpointInterval: 16,
  readIdleTimeoutMs: 10_000,
  appendTimeoutMs: 15_000,
  subscriptionIdleMs: 10_000,
};

type Current = Readonly<{ client: EventStoreDBClient; generation: number }>;

/**
 * A client whose reconnection handler cannot reject unheard. The client calls it without
 * waiting for it, and it awaits the channel being created, which rejects when a discovery
 * fails: during an outage, every failed call would leave an unhandled rejection. The failure
 * reaches the call itself all the same.
 */
const newClient = (url: string): EventStoreDBClient => {
  const client = EventStoreDBClient.connectionString(url);
  const internals = client as unknown as {
    handleError: (grpcClient: unknown, error: Error) => Promise<void>;
  };
  const handleError = internals.handleError;
  internals.handleError = (grpcClient, error) =>
    handleError(grpcClient, error).catch(() => undefined);
  return client;
};

/**
 * The client in use, replaced by a new one from the same connection string when it cannot
 * recover by itself (classifyFailure's `renew`): @eventstore/db-client 6.2.1 keeps a failed
 * server-features probe for every later append, and does not reconnect after a reset stream or
 * on a node without a leader. Calls in flight on the old client may finish before it is disposed.
 */
class Connection {
  private current: Current;
  private readonly retiring = new Map<EventStoreDBClient, NodeJS.Timeout>();

  constructor(
    private readonly url: string,
    private readonly graceMs: number,
  ) {
    this.current = { client: newClient(url), generation: 0 };
  }

  get(): Current {
    return this.current;
  }

  /** Replaces the client, once per failed generation however many calls saw it fail. */
  renew(generation: number): void {
    if (generation !== this.current.generation) return;
    const old = this.current.client;
    this.current = {
      client: newClient(this.url),
      generation: generation + 1,
    };
    const timer = setTimeout(() => {
      this.retiring.delete(old);
      void old.dispose().catch(() => undefined);
    }, this.graceMs);
    timer.unref();
    this.retiring.set(old, timer);
  }

  async close(): Promise<void> {
    for (const timer of this.retiring.values()) clearTimeout(timer);
    const clients = [this.current.client, ...this.retiring.keys()];
    this.retiring.clear();
    await Promise.all(clients.map((client) => client.dispose()));
  }
}

/**
 * The production store: EventStoreDB through @eventstore/db-client, one to one with the port.
 * Appends and stream reads go to the leader (a follower may lag behind the writes a command
 * handler just made); $all reads and subscriptions may be served by any node.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new Set<AllSubscription>();

  private constructor(
    private readonly connection: Connection,
    private readonly options: Required<EventStoreDbOptions>,
  ) {}

  /** Parses the connection string; the client connects on first use, so a down server shows on /readyz. */
  static async connect(
    url: string,
    options: EventStoreDbOptions = {},
  ): Promise<EventStoreDbEventStore> {
    const settings = { ...DEFAULTS, ...options };
    let connection: Connection;
    try {
      connection = new Connection(url, settings.appendTimeoutMs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`EVENTSTORE_URL is not an EventStoreDB connection string: ${reason}`, {
        cause: error,
      });
    }
    return new EventStoreDbEventStore(connection, settings);
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    { expectedRevision, unchanged = [] }: AppendOptions,
  ): Promise<AppendResult> {
    // no multi-stream check in EventStoreDB: the streams are read just before the append
    const moved = await movedStream(unchanged, (id) => this.currentRevision(id));
    if (moved !== null) throw moved;
    if (events.length === 0) return this.appendNothing(streamId, expectedRevision);
    const eventData = events.map(toEventData);
    const result = await withDeadline(
      this.call(
        (client) =>
          client.appendToStream(streamId, eventData, {
            expectedRevision: toClientExpectedRevision(expectedRevision),
            requiresLeader: true,
          }),
        { streamId, expectedRevision },
      ),
      this.options.appendTimeoutMs,
      `an append to ${streamId}`,
    );
    if (!result.success) {
      // only when the connection string says throwOnAppendFailure=false; its revision is unreliable
      const actual = await this.currentRevision(streamId);
      throw new WrongExpectedVersionError(streamId, expectedRevision, actual);
    }
    if (result.position === undefined) {
      throw new Error(`EventStoreDB sent no position for the append to ${streamId}`);
    }
    return {
      nextExpectedRevision: result.nextExpectedRevision,
      checkpoint: encodeCheckpoint(result.position),
    };
  }

  async readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<readonly RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    try {
      const resolved = await this.call((client) =>
        collectRead(
          client.readStream(streamId, {
            fromRevision: options.fromRevision ?? START,
            maxCount: options.maxCount,
            direction: FORWARDS,
            requiresLeader: true,
          }),
          this.options.readIdleTimeoutMs,
        ),
      );
      return resolved.flatMap(({ event }) => (event === undefined ? [] : [toRecordedEvent(event)]));
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const page = await this.call((client) =>
      readAllPage(
        (fromPosition, maxCount) =>
          collectRead(
            client.readAll({ fromPosition, maxCount, direction: FORWARDS }),
            this.options.readIdleTimeoutMs,
          ),
        decodeCheckpoint(options.from),
        options.maxCount ?? 1000,
        // $all reads take no filter: the records left out are read through
        (record) => isParleyRecord(record) && matchesTypes(record.type, options.eventTypes),
      ),
    );
    return {
      events: page.records.map(toRecordedEvent),
      checkpoint: page.last === null ? (options.from ?? null) : encodeCheckpoint(page.last),
    };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const subscription = allSubscription({
      open: (from, onCheckpoint) => {
        const { client, generation } = this.connection.get();
        const opened = client.subscribeToAll({
          // exclusive: the subscription starts after this position
          fromPosition: from ?? START,
          filter: subscriptionFilter(
            options.streamPrefixes,
            this.options.checkpointInterval,
            onCheckpoint,
          ),
        });
        opened.on('error', (error: unknown) => this.renewIfNeeded(error, generation));
        return opened;
      },
      from: decodeCheckpoint(options.from),
      onStop: () => this.subscriptions.delete(subscription),
      // Types are filtered here, not by the server: its filtered subscriptions report progress
      // only every checkpointInterval x 32 records, so a projection that handles few types
      // would lag behind positions that reads wait for (min_position).
      wanted: (record) =>
        !isSystemEvent(record.type) &&
        isParleyRecord(record) &&
        matchesTypes(record.type, options.eventTypes),
      idle: { ms: this.options.subscriptionIdleMs, head: () => this.lastPosition() },
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  compareCheckpoints(a: Checkpoint | null, b: Checkpoint | null): -1 | 0 | 1 {
    return compareCheckpoints(a, b);
  }

  /** The last record of $all: one cheap read that needs a reachable, working server. */
  async ping(): Promise<void> {
    await this.lastPosition();
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
    await this.connection.close();
  }

  /**
   * Runs a call on the current client; a NotLeader refusal wrote nothing and the client has
   * already reconnected to the leader it named, so the call is made once more before giving up.
   */
  private async call<T>(
    operation: (client: EventStoreDBClient) => Promise<T>,
    append?: AppendContext,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const { client, generation } = this.connection.get();
      try {
        return await operation(client);
      } catch (error) {
        this.renewIfNeeded(error, generation);
        if (attempt > 1 || !isNotLeader(error)) throw toPortError(error, append);
      }
    }
  }

  private renewIfNeeded(error: unknown, generation: number): void {
    if (classifyFailure(error) === 'renew') this.connection.renew(generation);
  }

  private async appendNothing(
    streamId: string,
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    const actual = await this.currentRevision(streamId);
    if (!satisfiesExpectedRevision(expectedRevision, actual)) {
      throw new WrongExpectedVersionError(streamId, expectedRevision, actual);
    }
    return {
      nextExpectedRevision: actual === 'no_stream' ? -1n : actual,
      checkpoint: encodeCheckpoint((await this.lastPosition()) ?? { commit: 0n, prepare: 0n }),
    };
  }

  private async currentRevision(streamId: string): Promise<bigint | 'no_stream'> {
    try {
      const [last] = await this.call((client) =>
        collectRead(
          client.readStream(streamId, {
            fromRevision: END,
            maxCount: 1,
            direction: BACKWARDS,
            requiresLeader: true,
          }),
          this.options.readIdleTimeoutMs,
        ),
      );
      return last?.event?.revision ?? 'no_stream';
    } catch (error) {
      if (isStreamNotFound(error)) return 'no_stream';
      throw error;
    }
  }

  private async lastPosition(): Promise<Position | null> {
    const [last] = await this.call((client) =>
      collectRead(
        client.readAll({ fromPosition: END, maxCount: 1, direction: BACKWARDS }),
        this.options.readIdleTimeoutMs,
      ),
    );
    return last?.event?.position ?? null;
  }
}
