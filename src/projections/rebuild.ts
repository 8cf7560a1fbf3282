import type { Pool } from 'pg';
import type {
  Checkpoint,
  EventStore,
  ReadAllResult,
  RecordedEvent,
} from '../application/ports/eventStore';
import { lockCheckpoint, readCheckpoint, replaceCheckpoint } from './checkpoints';
import { applyEvents, handledTypes, type Projection } from './projection';
import { keyOf, LOCKS } from './runner/lockKeys';
import { LockSession } from './runner/lockSession';
import { skippedPositions } from './runner/stuckEvents';
import {
  ensureReadModelSchema,
  plainIdentifier,
  quoted,
  READ_MODEL,
  shadowSchemaOf,
  USE_SCHEMA,
  useSchema,
} from './schema';
import {
  COMMIT_WITHOUT_FLUSH,
  inBatchedTransaction,
  inTransaction,
  onConnection,
} from './transaction';

export type RebuildProgress = Readonly<{
  projection: string;
  phase: 'replay' | 'catch-up';
  /** events read from the log so far */
  events: number;
  /** the live projection's count of events seen: about how many the replay will read */
  estimate: number | null;
}>;

export type RebuildOptions = Readonly<{
  pool: Pool;
  store: EventStore;
  projection: Projection;
  /**
   * `acquire`: replay while the live runner carries on, then queue for its lock (the runner
   * pauses when it sees the queue), catch up and swap. `held`: the caller already holds it.
   */
  lock: 'acquire' | 'held';
  lockTimeoutMs?: number;
  pageSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
  shouldStop?: () => boolean;
}>;

export type RebuildResult = Readonly<{ events: number; checkpoint: Checkpoint | null }>;

export class RebuildStopped extends Error {
  override readonly name = 'RebuildStopped';
}

/**
 * Rebuilds a projection from position 0 without downtime: fresh tables in a shadow schema,
 * filled from the whole log while queries keep reading the live ones, then swapped in with its
 * checkpoint in one transaction.
 */
export const rebuildProjection = async (options: RebuildOptions): Promise<RebuildResult> => {
  const { pool, projection } = options;
  const key = keyOf(projection.name);
  const guard = await LockSession.open(pool);
  try {
    if (!(await guard.tryLock(LOCKS.rebuild, key)))
      throw new Error(`a rebuild of ${projection.name} is already running`);
    const live = await readCheckpoint(pool, projection.name);
    const estimate = live === null ? null : Number(live.eventsSeen);
    const { shadow, ...built } = await buildShadow(options, estimate);
    let replayed: Replayed = built;
    if (options.lock === 'acquire') {
      const timeoutMs = options.lockTimeoutMs ?? 20_000;
      if (!(await guard.lock(LOCKS.projection, key, timeoutMs)))
        throw new Error(
          `the active ${projection.name} runner did not pause within ${timeoutMs} ms`,
        );
      replayed = await replay(options, shadow, replayed, (events) =>
        options.onProgress?.({ projection: projection.name, phase: 'catch-up', events, estimate }),
      );
    }
    await swapIn(pool, projection, shadow, replayed);
    return replayed;
  } catch (error) {
    await dropShadow(pool, projection).catch(() => undefined);
    throw error;
  } finally {
    guard.close();
  }
};

type Replayed = Readonly<{ checkpoint: Checkpoint | null; events: number }>;

/**
 * Fresh tables in the projection's shadow schema, filled from position 0 to the head of the
 * log; the live tables are not touched. A rebuild swaps them in; a test compares them.
 */
export const buildShadow = async (
  options: Omit<RebuildOptions, 'lock'>,
  estimate: number | null = null,
): Promise<Replayed & Readonly<{ shadow: string }>> => {
  const shadow = await createShadow(options.pool, options.projection);
  const replayed = await replay(options, shadow, { checkpoint: null, events: 0 }, (events) =>
    options.onProgress?.({
      projection: options.projection.name,
      phase: 'replay',
      events,
      estimate,
    }),
  );
  // one transaction per index: a running transaction holds back every gap-safe reader of the
  // log, so the live read models wait for the longest index (under a second on 100,000
  // contacts), not for all of them
  for (const statement of options.projection.queryIndexes ?? []) {
    await inTransaction(options.pool, async (db) => {
      await useSchema(db, shadow);
      await db.query(statement);
    });
  }
  // what autovacuum would do a minute or more later, done before the tables are read: the
  // visibility map set (index-only scans: a search read 3,000 heap pages without it) and the
  // planner's statistics taken (none yet). INDEX_CLEANUP ON: a page keeps the dead items of
  // the replay's updates, and is not all-visible, when VACUUM skips the indexes because few
  // pages hold any. Outside a transaction, one table at a time: VACUUM takes no transaction
  // id and ANALYZE one only while it writes the statistics, so neither holds back a gap-safe
  // reader of the log for longer than a write does. As long as a table takes: the pool's
  // statement timeout is a request's, and a million contacts' words take longer.
  await onConnection(options.pool, async (db) => {
    await db.query('SET statement_timeout = 0');
    try {
      for (const table of options.projection.tables)
        await db.query(`VACUUM (ANALYZE, INDEX_CLEANUP ON) ${quoted(shadow)}.${quoted(table)}`);
    } finally {
      await db.query('RESET statement_timeout');
    }
  });
  return { shadow, ...replayed };
};

/** Reads the log from `from` until it has nothing more, applying each page in its own transaction. */
const replay = async (
  options: Omit<RebuildOptions, 'lock'>,
  schema: string,
  from: Replayed,
  onPage: (events: number) => void,
): Promise<Replayed> => {
  const { pool, store, projection } = options;
  const eventTypes = handledTypes(projection);
  // short transactions: a long one would hold back every gap-safe reader on the server
  const read = async (after: Checkpoint | null): Promise<ReadAllResult> => {
    const page = await store.readAll({
      from: after,
      maxCount: options.pageSize ?? 500,
      eventTypes,
    });
    // read while the page before is applied: its statement is sent by now (setImmediate), so
    // this CPU overlaps PostgreSQL's work on it (Projection.prepare)
    if (projection.prepare !== undefined) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      projection.prepare(page.events);
    }
    return page;
  };
  // what an operator skipped stays skipped (docs/operations.md, "A poison event")
  const skipped = await skippedPositions(pool, projection.name);
  let { checkpoint, events } = from;
  let reading = read(checkpoint);
  for (;;) {
    if (options.shouldStop?.() === true) {
      reading.catch(() => undefined);
      throw new RebuildStopped(`${projection.name}: stopped`);
    }
    const page = await reading;
    // an adapter may skip records (system events) and still move the checkpoint
    const moved = page.checkpoint !== null && page.checkpoint !== checkpoint;
    if (page.events.length === 0 && !moved) return { checkpoint, events };
    // the next page is read while this one is written: the log and the tables overlap
    reading = read(page.checkpoint);
    if (page.events.length > 0) {
      try {
        await applyPage(
          pool,
          projection,
          schema,
          page.events.filter((e) => !skipped.has(e.checkpoint)),
        );
      } catch (error) {
        reading.catch(() => undefined);
        throw error;
      }
    }
    checkpoint = page.checkpoint;
    events += page.events.length;
    onPage(events);
  }
};

/**
 * A page of a replay in one transaction. Writes that read nothing back go with BEGIN and COMMIT
 * as one message, as the runner sends a batch: a transaction open between round trips holds
 * back every gap-safe reader of the log. A read model's commit does not wait for the WAL flush
 * (Projection.derivedOnly): a page lost to a server crash is lost with its rebuild, whose shadow
 * is dropped and built again, or, for the notary, chained again from the log; and the swap's
 * commit, which waits, flushes the WAL of every page before it.
 */
const applyPage = (
  pool: Pool,
  projection: Projection,
  schema: string,
  events: readonly RecordedEvent[],
): Promise<void> =>
  projection.batchedWrites === true
    ? inBatchedTransaction(pool, async (batch, db) => {
        if (projection.derivedOnly === true) await batch.queue(COMMIT_WITHOUT_FLUSH);
        await batch.queue(USE_SCHEMA, [plainIdentifier(schema)]);
        await applyEvents(db, projection, events, batch);
      })
    : inTransaction(pool, async (db) => {
        if (projection.derivedOnly === true) await db.query(COMMIT_WITHOUT_FLUSH);
        await useSchema(db, schema);
        await applyEvents(db, projection, events);
      });

/**
 * A fresh shadow schema with the projection's empty tables (a leftover one is dropped first),
 * without their query indexes: buildShadow adds those after the replay.
 */
export const createShadow = (pool: Pool, projection: Projection): Promise<string> =>
  inTransaction(pool, async (db) => {
    await ensureReadModelSchema(db);
    const shadow = shadowSchemaOf(projection.name);
    await db.query(`DROP SCHEMA IF EXISTS ${quoted(shadow)} CASCADE`);
    await db.query(`CREATE SCHEMA ${quoted(shadow)}`);
    await useSchema(db, shadow);
    await projection.createTables(db);
    return shadow;
  });

export const dropShadow = async (pool: Pool, projection: Projection): Promise<void> => {
  await pool.query(`DROP SCHEMA IF EXISTS ${quoted(shadowSchemaOf(projection.name))} CASCADE`);
};

/**
 * One transaction: the old tables go, the shadow's move into read_model, the checkpoint
 * becomes the shadow's. Readers block for the moment it takes and then see the new tables.
 * Views an analyst built on a projection's tables make the swap fail (no CASCADE): drop them
 * first, or build them on copies.
 */
export const swapIn = (
  pool: Pool,
  projection: Projection,
  shadow: string,
  replayed: Replayed,
): Promise<void> =>
  inTransaction(pool, async (db) => {
    await ensureReadModelSchema(db);
    const current = await lockCheckpoint(db, projection.name);
    const old = new Set([...(current?.tables ?? []), ...projection.tables]);
    for (const table of old) {
      await db.query(`DROP TABLE IF EXISTS ${quoted(READ_MODEL)}.${quoted(table)}`);
    }
    for (const table of projection.tables) {
      await db.query(
        `ALTER TABLE ${quoted(shadow)}.${quoted(table)} SET SCHEMA ${quoted(READ_MODEL)}`,
      );
    }
    await replaceCheckpoint(db, {
      projection: projection.name,
      version: projection.version,
      checkpoint: replayed.checkpoint,
      eventsSeen: BigInt(replayed.events),
      tables: projection.tables,
      rebuilt: true,
    });
    // empty by now; anything left in it (an analyst's object) fails the swap rather than vanish
    await db.query(`DROP SCHEMA ${quoted(shadow)}`);
  });
