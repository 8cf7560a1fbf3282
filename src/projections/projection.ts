import type { ClientBase } from 'pg';
import type { RecordedEvent } from '../application/ports/eventStore';
import type { ParleyEvent } from '../domain';
import { StatementBatch } from './statementBatch';
import { statementNamer } from './statementNames';

/** One event as a projection sees it: the domain event plus where and when it was recorded. */
export type Projected<E extends ParleyEvent = ParleyEvent> = Readonly<{
  type: E['type'];
  data: E['data'];
  streamId: string;
  /** the event's revision in its stream: the arrival order of a dialog's messages */
  revision: bigint;
  /** when the write side decided it (metadata.recordedAt): the same on every replay */
  recordedAt: string;
  /** metadata.quiet: a history import asked for no webhooks */
  quiet?: true;
}>;

type Handler<E extends ParleyEvent> = (db: ClientBase, event: Projected<E>) => Promise<void>;

export type Handlers = {
  [K in ParleyEvent['type']]?: Handler<Extract<ParleyEvent, { type: K }>>;
};

/**
 * A read model: the tables it owns and how each event changes them. Its SQL names tables
 * unqualified, so the same code builds the live tables (schema read_model) or a rebuild's
 * fresh ones (a shadow schema): the runner points search_path at the target schema.
 */
export type Projection = Readonly<{
  name: string;
  /** bump when the tables or the meaning of a column change: the runner then rebuilds */
  version: number;
  /** every table it owns, moved together when a rebuild is swapped in */
  tables: readonly string[];
  /** creates the tables, and the indexes its handlers need, in the schema first on search_path */
  createTables(db: ClientBase): Promise<void>;
  /**
   * Indexes only queries use (trigram and list orders), one statement each, created after the
   * tables. A rebuild builds them once its replay is done: in bulk, several times cheaper than
   * entry by entry.
   */
  queryIndexes?: readonly string[];
  handlers: Handlers;
  /**
   * Its handlers never read a write's result (only SELECTs): their writes may then be sent
   * together, a batch at a time (StatementBatch).
   */
  batchedWrites?: boolean;
  /**
   * Takes a batch's events of its handlers' types at once, instead of a handler call each:
   * the webhook outbox, which keeps a batch's state in memory and writes it together.
   */
  applyBatch?: (db: ClientBase, events: readonly Projected[]) => Promise<void>;
  /**
   * With batchedWrites: two or more consecutive events of these types are handed to `apply`
   * at once, which must leave the tables as their handlers one after the other would (a
   * property test holds them equal); a lone one goes to its handler. The contacts' creations
   * and data items and the dialogs' openings and messages, most of a rebuild's log and of a
   * busy batch: a statement per run (or per layer of one) instead of one per event.
   */
  runs?: Readonly<{
    types: ReadonlySet<string>;
    apply: (db: ClientBase, events: readonly Projected[]) => Promise<void>;
  }>;
  /**
   * Takes every event of the log, of any type, as recorded (ids, metadata, checkpoints)
   * instead of `handlers`: the audit notary, which must see what the domain does not know.
   */
  applyRecorded?: (
    db: ClientBase,
    events: readonly RecordedEvent[],
    /** with batchedWrites: the caller's batch, which sends what it queues */
    batch?: StatementBatch,
  ) => Promise<void>;
  /**
   * Work on a batch's events that depends on them alone (the notary's digests): the runner
   * calls it as soon as the batch is gathered, while the batch before it commits, so that
   * this CPU and PostgreSQL's work on that batch overlap. Whatever it computes, the apply
   * must get the same without it (a batch applied alone, a rebuild).
   */
  prepare?: (events: readonly RecordedEvent[]) => void;
  /**
   * Its tables are the log's alone, and nothing outside PostgreSQL acts on a batch of them: a
   * batch's commit then does not wait for the WAL flush (synchronous_commit off). A server
   * crash may lose its last batches (~0.6 s at most), checkpoint and writes together; they are
   * applied again from the log, to the same rows. Not the outbox nor the attachment queue:
   * what they queue is sent or fetched, and a lost row would be sent twice.
   */
  derivedOnly?: boolean;
  /**
   * Its rows are the workers' history (the outbox's deliveries, the attachment queue), so it is
   * never rebuilt into a shadow schema (its createTables refuses one): a first build on a long
   * log goes batch by batch, as it runs live.
   */
  neverRebuilt?: boolean;
}>;

const statementName = statementNamer('projection');

/**
 * The handler's connection, with every statement prepared once per connection and reused: a
 * read model's statements are few and fixed, and planning them again for every event cost
 * PostgreSQL a fifth of a rebuild (docs/performance.md). A plan made under one search_path
 * is made again under another (shadow schema, then read_model): PostgreSQL checks.
 */
const preparing = (db: ClientBase): ClientBase =>
  new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver) as unknown;
      return (text: unknown, values?: unknown) => {
        // only parameterised statements: a script of several (DDL) cannot be prepared
        if (typeof text !== 'string' || !Array.isArray(values))
          return (target.query as (...args: unknown[]) => unknown)(text, values);
        return target.query({ name: statementName(text), text, values });
      };
    },
  });

/** Creates the query indexes (once the rows are in, for a rebuild). */
export const createQueryIndexes = async (db: ClientBase, projection: Projection): Promise<void> => {
  for (const statement of projection.queryIndexes ?? []) await db.query(statement);
};

/**
 * The event types a projection handles: it reads only these from the log (filtered by the
 * store); undefined (every type) for one that takes recorded events.
 */
export const handledTypes = (projection: Projection): readonly string[] | undefined =>
  projection.applyRecorded === undefined ? Object.keys(projection.handlers) : undefined;

/** Applies one recorded event; events the projection has no handler for change nothing. */
export const applyEvent = (
  db: ClientBase,
  projection: Projection,
  recorded: RecordedEvent,
): Promise<void> => dispatch(preparing(db), projection, recorded);

/**
 * Applies events in order, in the caller's transaction; batched writes are sent at the end,
 * or queued in the caller's `batch` (which sends them) when it gives one.
 */
export const applyEvents = async (
  db: ClientBase,
  projection: Projection,
  events: readonly RecordedEvent[],
  batch?: StatementBatch,
): Promise<void> => {
  if (projection.applyRecorded !== undefined) return projection.applyRecorded(db, events, batch);
  if (projection.applyBatch !== undefined)
    return projection.applyBatch(
      preparing(db),
      events.filter((e) => e.type in projection.handlers).map(projected),
    );
  if (projection.batchedWrites !== true) {
    for (const event of events) await applyEvent(db, projection, event);
    return;
  }
  const writes = batch ?? new StatementBatch(db);
  const client = writes.client();
  const { runs } = projection;
  let run: RecordedEvent[] = [];
  const endRun = async (): Promise<void> => {
    if (run.length === 1) await dispatch(client, projection, run[0] as RecordedEvent);
    else if (run.length > 1) await runs?.apply(client, run.map(projected));
    run = [];
  };
  for (const event of events) {
    if (runs?.types.has(event.type) === true) {
      run.push(event);
      continue;
    }
    await endRun();
    await dispatch(client, projection, event);
  }
  await endRun();
  if (batch === undefined) await writes.flush();
};

const projected = (recorded: RecordedEvent): Projected => ({
  type: recorded.type as ParleyEvent['type'],
  data: recorded.data as ParleyEvent['data'],
  streamId: recorded.streamId,
  revision: recorded.revision,
  recordedAt: recorded.metadata?.recordedAt ?? recorded.created.toISOString(),
  ...(recorded.metadata?.quiet === true ? { quiet: true as const } : {}),
});

const dispatch = async (
  db: ClientBase,
  projection: Projection,
  recorded: RecordedEvent,
): Promise<void> => {
  const handler = projection.handlers[recorded.type as ParleyEvent['type']] as
    Handler<ParleyEvent> | undefined;
  if (handler === undefined) return;
  await handler(db, projected(recorded));
};
