import type { Pool } from 'pg';
import type {
  Checkpoint,
  EventStore,
  RecordedEvent,
  SubscriptionItem,
} from '../../application/ports/eventStore';
import { isConnectionError } from '../../infrastructure/postgres/pool';
import { ADVANCE_CHECKPOINT, readCheckpoint } from '../checkpoints';
import { silentLog, type Log } from '../log';
import { applyEvents, handledTypes, type Projection } from '../projection';
import { rebuildProjection } from '../rebuild';
import { CHECKPOINT_MOVED, HOLD_CHECKPOINT, READ_MODEL, USE_SCHEMA } from '../schema';
import { COMMIT_WITHOUT_FLUSH, inBatchedTransaction } from '../transaction';
import { Batches, type Batch, type BatchOptions } from './batches';
import { keyOf, LOCKS } from './lockKeys';
import { LockSession } from './lockSession';
import { prepareTables } from './prepareTables';
import {
  CLEAR_STUCK_EVENT,
  describeError,
  recordStuckEvent,
  skippedPositions,
  UnappliableEvent,
  type StuckEvent,
} from './stuckEvents';
import { wakeableDelay } from './wakeableDelay';

export type CommittingBatch = Readonly<{
  projection: string;
  events: readonly RecordedEvent[];
  checkpoint: Checkpoint;
}>;

export type RunnerOptions = Readonly<{
  pool: Pool;
  store: EventStore;
  projection: Projection;
  log?: Log;
  batch?: Partial<BatchOptions>;
  /** the subscription's gathering pause after a wake-up (SubscribeToAllOptions.gatherMs) */
  gatherMs?: number;
  /** how often a standby tries to take over */
  standbyRetryMs?: number;
  /**
   * How often the active runner looks for a rebuild queued on its lock (2 s: a query of
   * pg_locks per runner, every runner of every process, loaded or idle; a rebuild is rare)
   */
  yieldCheckMs?: number;
  /**
   * A projection seen for the first time is built like a rebuild when the log holds at least
   * this many events of its types (10,000 by default); below that, batch by batch.
   */
  firstBuildInBulkAt?: number;
  /** fault injection for tests: runs after a batch was applied, before its transaction commits */
  beforeCommit?: (batch: CommittingBatch) => Promise<void>;
  onActiveChange?: (active: boolean) => void;
}>;

export type RunnerStatus = Readonly<{
  projection: string;
  /** this process holds the projection's lock and applies its events */
  active: boolean;
  /** events this process applied since it started */
  eventsApplied: number;
  batches: number;
  lastError: string | null;
  /** the event this process's runner cannot apply; null when it moves */
  stuck: StuckEvent | null;
}>;

/** The stored checkpoint is not where this runner left it: someone else wrote the projection. */
class Fenced extends Error {
  override readonly name = 'Fenced';
}

/**
 * Keeps one projection up to date. Every process runs one per projection; the one holding the
 * projection's advisory lock is active, the others retry now and then and take over when the
 * holder's session ends. Each batch writes its rows and its checkpoint in one transaction.
 */
export class ProjectionRunner {
  private readonly key: number;
  private readonly log: Log;
  private readonly batchOptions: BatchOptions;
  private stopping = false;
  private signalStop: () => void = () => undefined;
  private endPause: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => (this.signalStop = resolve));
  private running: Promise<void> | null = null;
  private active = false;
  private eventsApplied = 0;
  private batches = 0;
  private lastError: string | null = null;
  private stuck: StuckEvent | null = null;
  /** a stuck-event row may be left by this runner or an earlier holder: the next commit clears it */
  private clearStuck = true;
  /** events an operator told this projection to leave out (`npm run projections -- skip`) */
  private skipped: ReadonlySet<string> = new Set();

  constructor(private readonly options: RunnerOptions) {
    this.key = keyOf(options.projection.name);
    this.log = options.log ?? silentLog;
    // A batch closes 10 ms after its last item or 50 ms after its first. The read lag is at
    // least the batch's wait, and at a steady rate the subscription hands over a read every
    // 20–30 ms, so a 50 ms quiet window kept every batch open for its whole 250 ms: half-load
    // lag p50 240–307 → 31–51 ms, full-load lag p99 881–1,290 → 383–580 ms, with no CPU a
    // message to see beyond the host's noise (docs/performance.md). Behind, pages fill batches.
    this.batchOptions = {
      maxEvents: 500,
      quietMs: 10,
      maxWaitMs: 50,
      idleMs: options.yieldCheckMs ?? 2_000,
      ...options.batch,
    };
  }

  get name(): string {
    return this.options.projection.name;
  }

  /** Starts competing for the lock in the background. */
  async start(): Promise<void> {
    this.running ??= this.loop();
  }

  /** Stops after the batch in flight, releasing the lock. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signalStop();
    this.endPause();
    await this.running;
  }

  status(): RunnerStatus {
    return {
      projection: this.name,
      active: this.active,
      eventsApplied: this.eventsApplied,
      batches: this.batches,
      lastError: this.lastError,
      stuck: this.stuck,
    };
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let session: LockSession | null = null;
      try {
        session = await LockSession.open(this.options.pool);
        while (!this.stopping && session.alive) {
          if (await session.tryLock(LOCKS.projection, this.key)) {
            try {
              this.setActive(true);
              await this.runActive(session);
              failures = 0;
            } finally {
              this.setActive(false);
              if (session.alive)
                await session.unlock(LOCKS.projection, this.key).catch(() => undefined);
            }
          }
          await this.pause(this.options.standbyRetryMs ?? 1_000);
        }
      } catch (error) {
        const fenced = error instanceof Fenced;
        failures = fenced ? 0 : failures + 1;
        this.lastError = error instanceof Error ? error.message : String(error);
        const retryInMs = fenced ? 100 : Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
        if (error instanceof UnappliableEvent) await this.reportStuck(error, retryInMs);
        else if (fenced)
          this.log.warn(
            { err: error, projection: this.name },
            'projection runner fenced off; starting over',
          );
        else
          this.log.error(
            { err: error, projection: this.name },
            'projection runner failed; retrying',
          );
        await this.pause(retryInMs);
      } finally {
        session?.close();
      }
    }
  }

  /** Applies the log while holding the lock; returns to pause for a rebuild or to stop. */
  private async runActive(session: LockSession): Promise<void> {
    const { projection, pool, store } = this.options;
    const prepared = await prepareTables(pool, projection);
    if (prepared.state === 'newer') {
      this.log.error(
        { projection: this.name, stored: prepared.version, ours: projection.version },
        'the read model was built by a newer Parley; this process leaves it alone',
      );
      await this.pause(60_000);
      return;
    }
    // A first build on a long log (a new projection, a new database on an old store) is
    // built as a rebuild: tables filled without their query indexes, which come at the end.
    const bulk =
      prepared.state === 'new' && projection.neverRebuilt !== true && (await this.longLog());
    if (bulk) this.log.info({ projection: this.name }, 'building the read model from the log');
    else if (prepared.state === 'rebuild')
      this.log.warn({ projection: this.name }, 'rebuilding the read model from position 0');
    if (bulk || prepared.state === 'rebuild') {
      const result = await rebuildProjection({
        pool,
        store,
        projection,
        lock: 'held',
        shouldStop: () => this.stopping,
      });
      this.log.info({ projection: this.name, events: result.events }, 'read model rebuilt');
    }
    this.clearStuck = true;
    this.skipped = await skippedPositions(pool, this.name);
    let expected = (await readCheckpoint(pool, this.name))?.checkpoint ?? null;
    const subscription = store.subscribeToAll({
      from: expected,
      eventTypes: handledTypes(projection),
      // a page of the log is a batch when behind: one read, one transaction
      pageSize: this.batchOptions.maxEvents,
      ...(this.options.gatherMs === undefined ? {} : { gatherMs: this.options.gatherMs }),
    });
    const batches = new Batches(subscription, this.batchOptions, this.stopped);
    const gather = async (): Promise<Batch> => {
      const batch = await batches.next();
      const { prepare } = projection;
      if (prepare === undefined) return batch;
      // once the batch before is sent (its commit goes out in this turn of the event loop):
      // this CPU then overlaps PostgreSQL's work on it, instead of holding it up
      await new Promise<void>((resolve) => setImmediate(resolve));
      prepare(batch.items.flatMap((i) => (i.type === 'event' ? [i.event] : [])));
      return batch;
    };
    let gathering = gather();
    let lookedAt = Date.now();
    try {
      while (!this.stopping) {
        if (!session.alive) throw new Error('the lock session was lost');
        const { items, ended } = await gathering;
        if (this.stopping) return;
        // the next batch is gathered (and prepared) while this one commits; a batch gathered
        // for nothing (a stop, a failed commit) is dropped with the subscription
        gathering = ended ? Promise.resolve({ items: [], ended }) : gather();
        if (items.length > 0) expected = await this.commit(expected, items);
        if (ended) throw new Error('the subscription ended');
        if (Date.now() - lookedAt >= this.batchOptions.idleMs) {
          lookedAt = Date.now();
          if (await session.hasWaiters(LOCKS.projection, this.key)) {
            this.log.info({ projection: this.name }, 'pausing: a rebuild asked for the lock');
            return;
          }
        }
      }
    } finally {
      gathering.catch(() => undefined);
      await subscription.unsubscribe().catch(() => undefined);
    }
  }

  /** Does the log hold at least `firstBuildInBulkAt` events of the types this projection handles? */
  private async longLog(): Promise<boolean> {
    const threshold = this.options.firstBuildInBulkAt ?? 10_000;
    const { events } = await this.options.store.readAll({
      maxCount: threshold,
      eventTypes: handledTypes(this.options.projection),
    });
    return events.length >= threshold;
  }

  /**
   * Commits the batch; when it fails, one transaction per item finds the event that cannot be
   * applied (the batch's writes may be sent together, so its error names no event). The
   * events before it are kept; that one is thrown as UnappliableEvent.
   */
  private async commit(
    expected: Checkpoint | null,
    items: readonly SubscriptionItem[],
  ): Promise<Checkpoint> {
    try {
      return await this.commitItems(expected, items);
    } catch (error) {
      if (error instanceof Fenced || isConnectionError(error)) throw error;
      if (items.length > 1) {
        let at = expected;
        for (const item of items) at = await this.commit(at, [item]);
        return at as Checkpoint;
      }
      const [item] = items;
      throw item?.type === 'event' ? new UnappliableEvent(item.event, error) : error;
    }
  }

  /** Once per backoff step: the log line, the shared row the CLI and every /readyz read. */
  private async reportStuck(failure: UnappliableEvent, retryInMs: number): Promise<void> {
    const { event } = failure;
    const recorded = await recordStuckEvent(this.options.pool, this.name, failure).then(
      () => true,
      () => false,
    );
    const previous = this.stuck;
    const same = previous !== null && previous.position === event.checkpoint;
    const now = new Date();
    this.stuck = {
      projection: this.name,
      streamId: event.streamId,
      revision: event.revision,
      position: event.checkpoint,
      eventType: event.type,
      error: describeError(failure.cause),
      since: same ? previous.since : now,
      lastAttemptAt: now,
      attempts: same ? previous.attempts + 1 : 1,
    };
    this.log.error(
      {
        projection: this.name,
        stream: event.streamId,
        revision: event.revision.toString(),
        position: event.checkpoint,
        eventType: event.type,
        error: this.stuck.error,
        attempts: this.stuck.attempts,
        retryInMs,
        ...(recorded ? {} : { recorded: false }),
      },
      'projection cannot apply an event; retrying (docs/operations.md, "A poison event")',
    );
  }

  /** One transaction: the items' rows and the checkpoint after them, or nothing at all. */
  private async commitItems(
    expected: Checkpoint | null,
    items: readonly SubscriptionItem[],
  ): Promise<Checkpoint> {
    const { projection, pool } = this.options;
    const events = items.flatMap((item) => {
      if (item.type !== 'event') return [];
      if (!this.skipped.has(item.event.checkpoint)) return [item.event];
      this.log.warn(
        { projection: this.name, stream: item.event.streamId, position: item.event.checkpoint },
        'leaving out an event an operator skipped',
      );
      return [];
    });
    const last = items[items.length - 1] as SubscriptionItem;
    const checkpoint = last.type === 'event' ? last.event.checkpoint : last.checkpoint;
    const clear = this.clearStuck || this.stuck !== null;
    const { beforeCommit } = this.options;
    // As few messages as the handlers allow, COMMIT in the last: an open transaction that has
    // written holds back every subscriber's read (inBatchedTransaction), and under a saturated
    // event loop each message waits its turn behind the HTTP handlers. A read model whose
    // writes are batched sends its whole transaction as one. The lock comes first and fails
    // when fenced, so that no write of the batch runs then.
    await inBatchedTransaction(pool, async (batch, db) => {
      await batch.queue(HOLD_CHECKPOINT, [this.name, projection.version, expected]);
      // a read model's commit waits for no WAL flush: one less on the appends' disk
      if (projection.derivedOnly === true) await batch.queue(COMMIT_WITHOUT_FLUSH);
      await batch.queue(USE_SCHEMA, [READ_MODEL]);
      if (projection.batchedWrites === true) await applyEvents(db, projection, events, batch);
      else {
        await batch.flush();
        await applyEvents(db, projection, events);
      }
      await batch.queue(ADVANCE_CHECKPOINT, [this.name, checkpoint, events.length]);
      if (clear) await batch.queue(CLEAR_STUCK_EVENT, [this.name]);
      if (beforeCommit !== undefined) {
        await batch.flush();
        await beforeCommit({ projection: this.name, events, checkpoint });
      }
    }).catch((error: unknown) => {
      if ((error as { code?: unknown } | null)?.code === CHECKPOINT_MOVED)
        throw new Fenced(`${this.name}: the stored checkpoint moved; starting over from it`);
      throw error;
    });
    if (this.stuck !== null)
      this.log.info({ projection: this.name, position: checkpoint }, 'projection moves again');
    this.stuck = null;
    this.clearStuck = false;
    this.eventsApplied += events.length;
    this.batches++;
    return checkpoint;
  }

  private setActive(active: boolean): void {
    if (this.active === active) return;
    this.active = active;
    this.log.info({ projection: this.name, active }, active ? 'projection active' : 'standby');
    this.options.onActiveChange?.(active);
  }

  /** Not a race with `stopped`: each race would leave a reaction on it for good (see Batches). */
  private async pause(ms: number): Promise<void> {
    if (this.stopping) return;
    await wakeableDelay(ms, (wake) => (this.endPause = wake));
  }
}
