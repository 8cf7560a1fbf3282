import type { Pool, PoolClient } from 'pg';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
  movedStream,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type Checkpoint,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '../../../application/ports/eventStore';
import { isConnectionError } from '../../postgres/pool';
import { comparePositions, decodeCheckpoint, encodeCheckpoint } from './checkpoint';
import { AppendNotifications } from './appendNotifications';
import { LogTail } from './logTail';
import { postgresSubscription } from './postgresSubscription';

export type EventRow = {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_revision: string;
  event_id: string;
  event_type: string;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
};

export const EVENT_COLUMNS = `global_position, transaction_id, stream_id, stream_revision, event_id,
  event_type, data, metadata, recorded_at`;

/** EVENT_COLUMNS of a page joined to its keys (readAllOfTypes): the table's, aliased `e` */
const PAGE_COLUMNS = EVENT_COLUMNS.split(',')
  .map((column) => `e.${column.trim()}`)
  .join(', ');

/**
 * readAllOfTypes's statement ($1, $2: the checkpoint, $3: the page size, $4: the types): the
 * page's positions from the order index alone (it carries the type, migration 190), then its
 * rows by primary key, and the visible head when the page is short. Exported for the test
 * that holds the plan to an index-only scan.
 */
export const READ_ALL_OF_TYPES = `WITH visible AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
   keys AS (
     SELECT global_position FROM event_store.events, visible
     WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
       AND transaction_id < visible.xmin AND event_type = ANY($4::text[])
     ORDER BY transaction_id, global_position
     LIMIT $3),
   page AS (
     SELECT ${PAGE_COLUMNS} FROM keys JOIN event_store.events e USING (global_position)
     ORDER BY e.transaction_id, e.global_position)
   SELECT *, false AS head FROM page
   UNION ALL
   (SELECT global_position, transaction_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true
    FROM event_store.events, visible
    WHERE (SELECT count(*) FROM keys) < $3
      AND (transaction_id, global_position) > ($1::xid8, $2::bigint)
      AND transaction_id < visible.xmin
    ORDER BY transaction_id DESC, global_position DESC
    LIMIT 1)`;

export const toRecorded = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  streamId: row.stream_id,
  revision: BigInt(row.stream_revision),
  type: row.event_type,
  data: row.data,
  metadata: row.metadata,
  // encodeCheckpoint's text from PostgreSQL's: xid8 and bigint print in plain decimal, so
  // every reader of every event is spared two BigInts and their garbage
  checkpoint: `${row.transaction_id}:${row.global_position}` as Checkpoint,
  created: row.recorded_at,
});

/**
 * How the stream row moves for each expected revision. Each append is one statement: the
 * stream row changes (or does not, and nothing is inserted) and the events go in atomically.
 * A concurrent append waits on the stream row and then finds the revision moved.
 */
const STREAM_STEP = (
  guard: string,
): Record<'no_stream' | 'stream_exists' | 'any' | 'revision', string> => {
  const row =
    guard === '' ? 'VALUES ($1, $2::bigint - 1)' : `SELECT $1, $2::bigint - 1 WHERE ${guard}`;
  return {
    no_stream: `INSERT INTO event_store.streams (stream_id, revision)
              ${row} ON CONFLICT (stream_id) DO NOTHING RETURNING revision`,
    stream_exists: `UPDATE event_store.streams SET revision = revision + $2::bigint
                  WHERE stream_id = $1 ${guard === '' ? '' : `AND ${guard}`} RETURNING revision`,
    any: `INSERT INTO event_store.streams (stream_id, revision)
        ${row} ON CONFLICT (stream_id) DO UPDATE SET revision = event_store.streams.revision + $2::bigint
        RETURNING revision`,
    revision: `UPDATE event_store.streams SET revision = revision + $2::bigint
             WHERE stream_id = $1 AND revision = $7::bigint ${guard === '' ? '' : `AND ${guard}`}
             RETURNING revision`,
  };
};

/**
 * The `unchanged` streams of an append ($u: names, $u+1: revisions, null for none) are where
 * the caller read them, in the statement's snapshot: a request that relied on cached streams
 * costs this one statement instead of a read of each (docs/performance.md).
 */
const unchangedCheck = (u: number): string => `unchanged AS (
    SELECT NOT EXISTS (
      SELECT FROM unnest($${u}::text[], $${u + 1}::bigint[]) AS u(id, revision)
      LEFT JOIN event_store.streams s ON s.stream_id = u.id
      WHERE s.revision IS DISTINCT FROM u.revision) AS ok)`;

const appendStatement = (step: string, check = ''): string => `
  WITH ${check === '' ? '' : `${check},`} stream AS (${step})
  INSERT INTO event_store.events (stream_id, stream_revision, event_id, event_type, data, metadata)
  SELECT $1, stream.revision - $2::bigint + e.ord, e.id, e.type, e.data::jsonb, e.metadata::jsonb
  FROM stream,
       unnest($3::uuid[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS e(id, type, data, metadata, ord)
  RETURNING global_position, transaction_id, stream_revision`;

const PLAIN = STREAM_STEP('');
const GUARDED = STREAM_STEP('(SELECT ok FROM unchanged)');
const APPEND = {
  no_stream: appendStatement(PLAIN.no_stream),
  stream_exists: appendStatement(PLAIN.stream_exists),
  any: appendStatement(PLAIN.any),
  revision: appendStatement(PLAIN.revision),
};

/** the appends with `unchanged` streams; their parameters follow the append's own */
const APPEND_IF_UNCHANGED = {
  no_stream: appendStatement(GUARDED.no_stream, unchangedCheck(7)),
  stream_exists: appendStatement(GUARDED.stream_exists, unchangedCheck(7)),
  any: appendStatement(GUARDED.any, unchangedCheck(7)),
  revision: appendStatement(GUARDED.revision, unchangedCheck(8)),
};

/** The append statements by expected revision, for the bench's EXPLAIN (bench/tools/explainAppend.ts). */
export const APPEND_SQL = { plain: APPEND, ifUnchanged: APPEND_IF_UNCHANGED } as const;

export type PostgresEventStoreOptions = Readonly<{
  /** how often a subscriber looks for events when no notification arrives, in ms … */
  pollIntervalMs?: number;
  /** … at first: an idle subscriber's polls grow apart up to this (8 × pollIntervalMs) */
  maxPollIntervalMs?: number;
  /** events per page when a subscriber catches up */
  pageSize?: number;
  /** how long a woken subscriber waits for more appends before it reads, in ms */
  gatherMs?: number;
  /**
   * Connections for the reads of the whole log (readAll, subscriptions), apart from the
   * appends' and stream reads' `pool`: Parley's run on generic plans (GENERIC_PLANS, pool.ts).
   */
  readPool?: Pool;
  /**
   * Subscribers at the head take their events from one read of the log a wake-up (LogTail),
   * not one read each: on by default; off, each reads its own (the bench's comparison).
   */
  sharedTail?: boolean;
}>;

/** a shared read of the log's end: a page of every type, and the events kept for those behind */
const TAIL_PAGE = 1_000;
const TAIL_KEPT = 5_000;
/** a wake-up's subscribers join one read within this (logTail.ts, refreshed) */
const TAIL_JOIN_MS = 2;

/** The embedded default and small-deployment store: one PostgreSQL database, schema event_store. */
export class PostgresEventStore implements EventStore {
  private readonly notifications: AppendNotifications;
  private readonly tail: LogTail | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    this.notifications = new AppendNotifications(pool);
    this.tail =
      options.sharedTail === false
        ? undefined
        : new LogTail({
            readAll: (from, maxCount) => this.readAll({ from, maxCount }),
            compare: (a, b) => this.compareCheckpoints(a, b),
            pageSize: TAIL_PAGE,
            keep: TAIL_KEPT,
            joinMs: TAIL_JOIN_MS,
          });
  }

  async appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    { expectedRevision, unchanged = [] }: AppendOptions,
  ): Promise<AppendResult> {
    if (events.length === 0) {
      const moved = await movedStream(unchanged, (id) => this.currentRevision(id));
      if (moved !== null) throw moved;
      return this.appendNothing(streamId, expectedRevision);
    }
    const kind = typeof expectedRevision === 'bigint' ? 'revision' : expectedRevision;
    const params: unknown[] = [
      streamId,
      events.length,
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata)),
    ];
    if (typeof expectedRevision === 'bigint') params.push(expectedRevision.toString());
    const checked = unchanged.length > 0;
    if (checked) {
      params.push(
        unchanged.map((u) => u.streamId),
        unchanged.map((u) => (u.revision === 'no_stream' ? null : u.revision.toString())),
      );
    }
    const result = await this.query<{
      global_position: string;
      transaction_id: string;
      stream_revision: string;
    }>(
      (checked ? APPEND_IF_UNCHANGED : APPEND)[kind],
      params,
      `event_store_append_${kind}${checked ? '_if_unchanged' : ''}`,
    );
    if (result.length === 0) {
      // every revision the refusal may be about, in one round trip
      const revisions = await this.revisionsOf([streamId, ...unchanged.map((u) => u.streamId)]);
      const revisionOf = (id: string): Promise<bigint | 'no_stream'> =>
        Promise.resolve(revisions.get(id) ?? 'no_stream');
      throw (
        (await movedStream(unchanged, revisionOf)) ??
        new WrongExpectedVersionError(streamId, expectedRevision, await revisionOf(streamId))
      );
    }
    this.notifications.appended();
    // rows come back in insert order; the last one is the stream's new revision
    const last = result.reduce((a, b) =>
      BigInt(a.global_position) > BigInt(b.global_position) ? a : b,
    );
    return {
      nextExpectedRevision: BigInt(last.stream_revision),
      checkpoint: encodeCheckpoint({
        transactionId: BigInt(last.transaction_id),
        globalPosition: BigInt(last.global_position),
      }),
    };
  }

  async readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<readonly RecordedEvent[]> {
    const rows = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events
       WHERE stream_id = $1 AND stream_revision >= $2
       ORDER BY stream_revision LIMIT $3`,
      [streamId, (options.fromRevision ?? 0n).toString(), options.maxCount ?? null],
      'event_store_read_stream',
    );
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    if (options.eventTypes !== undefined) return this.readAllOfTypes(options, options.eventTypes);
    const from = decodeCheckpoint(options.from);
    // Only transactions older than every running one are visible: nothing below them can
    // still commit, so resuming after the last row read never skips a late commit.
    const rows = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events
       WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY transaction_id, global_position
       LIMIT $3`,
      [from.transactionId.toString(), from.globalPosition.toString(), options.maxCount ?? 1000],
      'event_store_read_all',
      this.options.readPool,
    );
    const events = rows.map(toRecorded);
    const last = events[events.length - 1];
    return { events, checkpoint: last === undefined ? (options.from ?? null) : last.checkpoint };
  }

  /**
   * The same gap-safe read, filtered by type in the database: a projection that handles a
   * fifth of the log neither receives nor parses the rest, and the table is read for the
   * events returned, not for every event passed over (READ_ALL_OF_TYPES). A short page also
   * returns the visible head, from the same snapshot (one statement), so that the checkpoint
   * moves past the events left out without skipping a matching one that commits meanwhile.
   */
  private async readAllOfTypes(
    options: ReadAllOptions,
    eventTypes: readonly string[],
  ): Promise<ReadAllResult> {
    const from = decodeCheckpoint(options.from);
    const maxCount = options.maxCount ?? 1000;
    const rows = await this.query<EventRow & { head: boolean }>(
      READ_ALL_OF_TYPES,
      [from.transactionId.toString(), from.globalPosition.toString(), maxCount, [...eventTypes]],
      'event_store_read_all_of_types',
      this.options.readPool,
    );
    const events = rows.filter((row) => !row.head).map(toRecorded);
    const head = rows.find((row) => row.head);
    const last = events[events.length - 1];
    const checkpoint =
      head !== undefined
        ? encodeCheckpoint({
            transactionId: BigInt(head.transaction_id),
            globalPosition: BigInt(head.global_position),
          })
        : last !== undefined
          ? last.checkpoint
          : (options.from ?? null);
    return { events, checkpoint };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    return postgresSubscription(this, this.notifications, {
      ...options,
      pollIntervalMs: this.options.pollIntervalMs ?? 500,
      maxPollIntervalMs: this.options.maxPollIntervalMs ?? 8 * (this.options.pollIntervalMs ?? 500),
      pageSize: options.pageSize ?? this.options.pageSize ?? 500,
      gatherMs: options.gatherMs ?? this.options.gatherMs ?? 20,
      ...(this.tail === undefined ? {} : { tail: this.tail }),
    });
  }

  compareCheckpoints(a: Checkpoint | null, b: Checkpoint | null): -1 | 0 | 1 {
    return comparePositions(decodeCheckpoint(a), decodeCheckpoint(b));
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1 FROM event_store.streams LIMIT 1', []);
  }

  async close(): Promise<void> {
    await this.notifications.close();
  }

  private async appendNothing(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const actual = await this.currentRevision(streamId);
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && actual === 'no_stream') ||
      (expected === 'stream_exists' && actual !== 'no_stream') ||
      expected === actual;
    if (!ok) throw new WrongExpectedVersionError(streamId, expected, actual);
    const head = await this.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id, global_position FROM event_store.events
       ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
      [],
    );
    const top = head[0];
    return {
      nextExpectedRevision: actual === 'no_stream' ? -1n : actual,
      checkpoint: encodeCheckpoint(
        top === undefined
          ? { transactionId: 0n, globalPosition: 0n }
          : {
              transactionId: BigInt(top.transaction_id),
              globalPosition: BigInt(top.global_position),
            },
      ),
    };
  }

  private async revisionsOf(streamIds: readonly string[]): Promise<Map<string, bigint>> {
    const rows = await this.query<{ stream_id: string; revision: string }>(
      'SELECT stream_id, revision FROM event_store.streams WHERE stream_id = ANY($1::text[])',
      [[...streamIds]],
      'event_store_revisions',
    );
    return new Map(rows.map((r) => [r.stream_id, BigInt(r.revision)]));
  }

  private async currentRevision(streamId: string): Promise<bigint | 'no_stream'> {
    const rows = await this.query<{ revision: string }>(
      'SELECT revision FROM event_store.streams WHERE stream_id = $1',
      [streamId],
    );
    const row = rows[0];
    return row === undefined ? 'no_stream' : BigInt(row.revision);
  }

  /**
   * `name` makes it a prepared statement, parsed and planned once per connection instead of
   * at every call: the hot statements (appends, stream and log reads) cost PostgreSQL
   * noticeably less CPU that way (docs/performance.md).
   */
  private async query<R extends object>(
    sql: string,
    params: unknown[],
    name?: string,
    client?: PoolClient | Pool,
  ): Promise<R[]> {
    try {
      const result = await (client ?? this.pool).query<R>(
        name === undefined ? { text: sql, values: params } : { name, text: sql, values: params },
      );
      return result.rows;
    } catch (error) {
      if (isConnectionError(error)) {
        throw new EventStoreUnavailableError('the PostgreSQL event store is unreachable', 2, {
          cause: error,
        });
      }
      throw error;
    }
  }
}
