import type { Pool } from 'pg';
import { count, startRunners, tableRows, useReadModelWorld } from '../../test/support/readModel';
import { mixedScenario } from '../../test/support/scenario';
import { eventually } from '../../test/support/eventually';
import { allProjections, projectionNamed } from './allProjections';
import { readCheckpoint } from './checkpoints';
import { listDialogs } from './dialogs/dialogQueries';
import { handledTypes } from './projection';
import { buildShadow, dropShadow, rebuildProjection } from './rebuild';
import { READ_MODEL } from './schema';
import { createPool } from '../infrastructure/postgres/pool';

// the pool's own methods on the pool itself: pool.query calls this.connect with a callback
const bound = (target: object, property: string | symbol): unknown => {
  const value = Reflect.get(target, property, target) as unknown;
  return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
};

/**
 * The pool, with the text of every query its clients send written down in `sent` until
 * `stop` (each client itself, not a stand-in: the batch keeps its prepared statements by client).
 */
const recordingPool = (pool: Pool, sent: string[]): { pool: Pool; stop: () => void } => {
  let on = true;
  const patched = new WeakSet<object>();
  const recording = new Proxy(pool, {
    get: (target, property) =>
      property === 'connect'
        ? async () => {
            const client = await target.connect();
            if (!patched.has(client)) {
              patched.add(client);
              const query = client.query.bind(client) as (...args: unknown[]) => unknown;
              Object.assign(client, {
                query: (text: string | { text: string }, ...rest: unknown[]) => {
                  if (on) sent.push((typeof text === 'string' ? text : text.text).trim());
                  return query(text, ...rest);
                },
              });
            }
            return client;
          }
        : bound(target, property),
  });
  return { pool: recording, stop: () => void (on = false) };
};

/** Builds every projection afresh from position 0 and compares it, table by table, with the live one. */
const expectRebuildToMatchLive = async (world: { pool: Pool; store: never | object }) => {
  const { pool, store } = world as {
    pool: Pool;
    store: Parameters<typeof buildShadow>[0]['store'];
  };
  for (const projection of allProjections) {
    const live = await readCheckpoint(pool, projection.name);
    const shadow = await buildShadow({ pool, store, projection });
    expect(shadow.checkpoint).toBe(live?.checkpoint);
    for (const table of projection.tables) {
      const rebuilt = await tableRows(pool, shadow.shadow, table);
      const incremental = await tableRows(pool, READ_MODEL, table);
      expect({ table, rows: rebuilt }).toEqual({ table, rows: incremental });
      // the query indexes a rebuild adds after its replay are all there
      const indexes = async (schema: string) =>
        (
          await pool.query<{ indexdef: string }>(
            `SELECT replace(indexdef, $1, '') AS indexdef FROM pg_indexes
             WHERE schemaname = $2 AND tablename = $3 ORDER BY indexname`,
            [`${schema}.`, schema, table],
          )
        ).rows.map((r) => r.indexdef);
      expect({ table, indexes: await indexes(shadow.shadow) }).toEqual({
        table,
        indexes: await indexes(READ_MODEL),
      });
      // vacuumed and analyzed before anything reads it: no statistics until then (reltuples
      // -1 or an index build's count, pg_stats empty). Whether VACUUM could also mark every
      // page all-visible depends on what else holds a snapshot in the database (an
      // auto-analyze of the log can): docs/performance.md shows it on the bench.
      const { rows: stats } = await pool.query<{ reltuples: number; analyzed: boolean }>(
        `SELECT c.reltuples,
                EXISTS (SELECT 1 FROM pg_stats s
                        WHERE s.schemaname = n.nspname AND s.tablename = c.relname) AS analyzed
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname = $2`,
        [shadow.shadow, table],
      );
      expect({ table, stats }).toEqual({
        table,
        stats: [{ reltuples: rebuilt.length, analyzed: rebuilt.length > 0 }],
      });
    }
    await dropShadow(pool, projection);
  }
};

describe('rebuilding read models from position 0', () => {
  const world = useReadModelWorld({ runnerOptions: { batch: { maxEvents: 37 } } });

  it('builds the same rows as the incremental runners after a long mixed history', async () => {
    await mixedScenario(world.store, { seed: 20260105, steps: 700, writer: world.w });
    await world.caughtUp();
    await world.stopRunners();

    // the history is as mixed as promised
    const events = (type: string) =>
      count(world.pool, 'SELECT count(*) AS n FROM event_store.events WHERE event_type = $1', [
        type,
      ]);
    for (const type of [
      'ContactsMerged',
      'ContactMergedInto',
      'ContactDeleted',
      'ContactDataChanged',
      'DialogReopened',
      'DialogStatusChanged',
      'DialogTitleChanged',
      'DialogAssigned',
      'MessageSent',
      'ChannelRenamed',
      'ChannelTokenIssued',
    ]) {
      expect({ type, count: await events(type) }).toEqual({ type, count: expect.any(Number) });
      expect(await events(type)).toBeGreaterThan(0);
    }
    expect(
      await count(world.pool, 'SELECT count(*) AS n FROM read_model.messages'),
    ).toBeGreaterThan(300);

    await expectRebuildToMatchLive(world as never);
  });

  it('sends a page whose writes read nothing back with its commit, which waits for no WAL flush when derived only', async () => {
    const { pool, store } = world;
    const sent: string[] = [];
    await mixedScenario(store, { seed: 20261207, steps: 100, writer: world.w });
    // every event readable first: other test files' open transactions hold back the log's
    // gap-safe reads, and a page cut short by them may hold only statements not yet prepared
    const stored = async () =>
      Number(
        (await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0]
          ?.n,
      );
    await eventually(
      async () => (await store.readAll({ maxCount: 100_000 })).events.length === (await stored()),
      (all) => all,
      30_000,
    );
    // one connection: a page's statements are prepared on it by the first page, so the pages
    // after are sent whole (on the world's pool each page could land on a fresh connection)
    const { connectionString } = (pool as unknown as { options: { connectionString: string } })
      .options;
    const single = createPool({ connectionString, max: 1 });
    const recording = recordingPool(single, sent);
    try {
      const contacts = projectionNamed('contacts');
      if (contacts === undefined) throw new Error('no contacts projection');
      expect([contacts.batchedWrites, contacts.derivedOnly]).toEqual([true, true]);

      const built = await buildShadow({
        pool: recording.pool,
        store,
        projection: contacts,
        pageSize: 50,
      });
      expect(built.events).toBeGreaterThan(60);
      // COMMIT goes with a page's writes, never alone: the only lone ones are the shadow's
      // creation's and its query indexes'. Once the page's statements are prepared on the
      // connection (a first use is sent ahead of the rest), BEGIN goes with them too.
      const others = 1 + (contacts.queryIndexes?.length ?? 0);
      expect(sent.filter((text) => text === 'COMMIT')).toHaveLength(others);
      const whole = sent.filter((text) => /^BEGIN;[\s\S]*EXECUTE batch_[\s\S]*COMMIT$/.test(text));
      expect(whole.length).toBeGreaterThan(0);
      expect(sent.filter((text) => text === 'BEGIN')).toHaveLength(others);
      const begins = sent.filter((text) => text.startsWith('BEGIN;'));
      expect(begins.length).toBeGreaterThan(1);
      for (const text of begins) expect(text).toContain('SET LOCAL synchronous_commit TO off');
      await dropShadow(pool, contacts);

      // the same handlers as if they read their writes back, and their rows sent or fetched
      // (the outbox, the attachment queue): a statement at a time, each commit flushed
      sent.length = 0;
      const unbatched = { ...contacts, batchedWrites: false, derivedOnly: false };
      await buildShadow({
        pool: recording.pool,
        store,
        projection: unbatched,
        pageSize: 50,
      });
      expect(sent.filter((text) => text === 'BEGIN').length).toBeGreaterThan(others + 2);
      expect(sent.filter((text) => text === 'COMMIT').length).toBeGreaterThan(others + 2);
      expect(sent.filter((text) => text.includes('synchronous_commit'))).toEqual([]);
      await dropShadow(pool, contacts);
    } finally {
      recording.stop();
      await single.end();
    }
  });

  it('swaps rebuilt tables in while runners and writers carry on, and queries keep answering', async () => {
    const { pool, store } = world;
    const live = await startRunners(pool, store);
    try {
      let writing = true;
      const writes = (async () => {
        for (let seed = 1; writing; seed++) {
          await mixedScenario(store, { seed, steps: 15, writer: world.w });
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();
      let answered = 0;
      const queries = (async () => {
        while (writing) {
          const page = await listDialogs(pool, {}, { limit: 5, after: null });
          expect(page.items.length).toBe(5);
          answered++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();

      for (const projection of allProjections) {
        const before = await readCheckpoint(pool, projection.name);
        const handled = new Set(handledTypes(projection));
        // a write lands after `before` (on a loaded machine the writer may be slower than a
        // rebuild), so the swapped-in checkpoint must be past it
        await eventually(
          async () =>
            (await store.readAll({ from: before?.checkpoint ?? null, maxCount: 1 })).events.length,
          (n) => n > 0,
        );
        const result = await rebuildProjection({ pool, store, projection, lock: 'acquire' });
        // it read the events of the types it handles, up to where it stopped, and no others
        const log = await store.readAll({ maxCount: 1_000_000 });
        const upTo = log.events.filter(
          (e) =>
            handled.has(e.type) && store.compareCheckpoints(e.checkpoint, result.checkpoint) <= 0,
        );
        expect(result.events).toBe(upTo.length);
        const after = await readCheckpoint(pool, projection.name);
        expect(after?.rebuiltAt).not.toBeNull();
        expect(
          store.compareCheckpoints(after?.checkpoint ?? null, before?.checkpoint ?? null),
        ).toBe(1);
      }
      writing = false;
      await Promise.all([writes, queries]);
      expect(answered).toBeGreaterThan(0);
      await world.caughtUp();
    } finally {
      await live.stop();
    }
    // the swapped-in tables, carried on by the live runners, are exactly a fresh rebuild
    await expectRebuildToMatchLive(world as never);
    const schemas = await pool.query(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'read_model_rebuild_%'`,
    );
    expect(schemas.rows).toEqual([]);
  });
});
