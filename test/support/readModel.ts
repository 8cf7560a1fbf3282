import type { Pool } from 'pg';
import type { Checkpoint, EventStore } from '../../src/application/ports/eventStore';
import { allProjections } from '../../src/projections/allProjections';
import { readCheckpoints } from '../../src/projections/checkpoints';
import type { Projection } from '../../src/projections/projection';
import {
  ProjectionRunner,
  type RunnerOptions,
} from '../../src/projections/runner/projectionRunner';
import { buildShadow, dropShadow } from '../../src/projections/rebuild';
import { quoted, READ_MODEL } from '../../src/projections/schema';
import { BUILD_LOCAL_COLUMNS } from '../../src/projections/contacts/contactWords';
import { PostgresEventStore } from '../../src/infrastructure/eventstore/postgres/postgresEventStore';
import { createTestDatabase } from './database';
import { writer, type Writer } from './writer';

/** Runners for every projection (or the given ones) in this process, fast timings for tests. */
export const startRunners = async (
  pool: Pool,
  store: EventStore,
  options: Partial<RunnerOptions> & { projections?: readonly Projection[] } = {},
): Promise<{ runners: ProjectionRunner[]; stop(): Promise<void> }> => {
  const runners = (options.projections ?? allProjections).map(
    (projection) =>
      new ProjectionRunner({
        pool,
        store,
        projection,
        standbyRetryMs: 100,
        yieldCheckMs: 100,
        ...options,
      }),
  );
  for (const runner of runners) await runner.start();
  return { runners, stop: async () => void (await Promise.all(runners.map((r) => r.stop()))) };
};

/** Waits until the named projections have applied `position` (by default: every projection). */
export const waitForPosition = async (
  pool: Pool,
  store: EventStore,
  position: Checkpoint | null,
  names: readonly string[] = allProjections.map((p) => p.name),
  timeoutMs = 30_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await readCheckpoints(pool);
    const behind = names.filter((name) => {
      const row = rows.find((r) => r.projection === name);
      return row === undefined || store.compareCheckpoints(row.checkpoint, position) < 0;
    });
    if (behind.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(`projections ${behind.join(', ')} did not reach ${String(position)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/**
 * The head of the log: the checkpoint after its last event. The PostgreSQL store's reads stop
 * at its gap-safe horizon, which any transaction open in the cluster holds back (another test
 * file's, in another database), so a log committed in full can read as shorter, even empty, for
 * a while: the head is the newest committed row of the database's event store table, and
 * waitForPosition waits for the horizon to pass it. A store with no rows there (EventStoreDB)
 * is read to its end.
 */
export const headOf = async (store: EventStore, pool: Pool): Promise<Checkpoint | null> => {
  const committed = await committedHeadOf(pool);
  if (committed !== null) return committed;
  let checkpoint: Checkpoint | null = null;
  for (;;) {
    const page = await store.readAll({ from: checkpoint, maxCount: 5_000 });
    if (page.events.length === 0) return checkpoint;
    checkpoint = page.checkpoint;
  }
};

/** The checkpoint of the newest event committed to this database's PostgreSQL event store. */
const committedHeadOf = async (pool: Pool): Promise<Checkpoint | null> => {
  const table = await pool.query<{ present: boolean }>(
    `SELECT to_regclass('event_store.events') IS NOT NULL AS present`,
  );
  if (table.rows[0]?.present !== true) return null;
  // the text toRecorded gives an event's checkpoint
  const { rows } = await pool.query<{ head: Checkpoint }>(
    `SELECT transaction_id::text || ':' || global_position::text AS head FROM event_store.events
     ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  return rows[0]?.head ?? null;
};

/**
 * Every row of a table as JSON, in a stable order: for row-for-row comparisons. Without the
 * columns that number rows as a build happened to write them (BUILD_LOCAL_COLUMNS).
 */
export const tableRows = async (pool: Pool, schema: string, table: string): Promise<unknown[]> => {
  const result = await pool.query<{ row: unknown }>(
    `SELECT row FROM (SELECT to_jsonb(t) - $1::text[] AS row FROM ${quoted(schema)}.${quoted(table)} t) r
     ORDER BY row::text`,
    [BUILD_LOCAL_COLUMNS[table] ?? []],
  );
  return result.rows.map((r) => r.row);
};

export const count = async (pool: Pool, sql: string, params: unknown[] = []): Promise<number> =>
  Number((await pool.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0);

export type ReadModelWorld = {
  pool: Pool;
  connectionString: string;
  store: PostgresEventStore;
  w: Writer;
  /** stops the runners startRunners started (also done after all tests) */
  stopRunners: () => Promise<void>;
  /** waits until every projection applied the last event `w` wrote */
  caughtUp: () => Promise<void>;
};

/**
 * A database of its own with a PostgreSQL event store, a writer and (unless `runners: false`)
 * every projection running in this process. Everything is torn down in order afterwards.
 */
export const useReadModelWorld = (
  options: Readonly<{ runners?: boolean; runnerOptions?: Partial<RunnerOptions> }> = {},
): ReadModelWorld => {
  const world = {} as ReadModelWorld;
  let drop: () => Promise<void> = async () => undefined;
  let running: { stop(): Promise<void> } | null = null;
  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    const store = new PostgresEventStore(db.pool, { pollIntervalMs: 50 });
    if (options.runners !== false)
      running = await startRunners(db.pool, store, options.runnerOptions);
    const w = writer(store);
    Object.assign(world, {
      pool: db.pool,
      connectionString: db.connectionString,
      store,
      w,
      stopRunners: async () => {
        await running?.stop();
        running = null;
      },
      caughtUp: () => waitForPosition(db.pool, store, w.lastPosition()),
    });
  });
  afterAll(async () => {
    await running?.stop();
    await world.store?.close();
    await drop();
  });
  return world;
};

/** Every projection rebuilt from position 0 into a shadow schema equals the live one, row for row. */
export const expectRebuildEqualsLive = async (pool: Pool, store: EventStore): Promise<void> => {
  for (const projection of allProjections) {
    const fresh = await buildShadow({ pool, store, projection });
    for (const table of projection.tables) {
      const live = await tableRows(pool, READ_MODEL, table);
      expect({ table, rows: await tableRows(pool, fresh.shadow, table) }).toEqual({
        table,
        rows: live,
      });
    }
    await dropShadow(pool, projection);
  }
};
