import { Pool } from 'pg';
import {
  count,
  headOf,
  startRunners,
  tableRows,
  useReadModelWorld,
  waitForPosition,
} from '../../../test/support/readModel';
import { eventually } from '../../../test/support/eventually';
import { mixedScenario } from '../../../test/support/scenario';
import { createChannel, createContact } from '../../../test/support/writer';
import { channelDecider } from '../../domain/channel/decide';
import type {
  AllSubscription,
  EventStore,
  SubscriptionItem,
} from '../../application/ports/eventStore';
import { allProjections } from '../allProjections';
import { attachmentFetchQueueProjection } from '../attachments/fetchQueueProjection';
import { channelsProjection } from '../channels/channelsProjection';
import { readCheckpoint } from '../checkpoints';
import { contactsProjection } from '../contacts/contactsProjection';
import { dialogsProjection } from '../dialogs/dialogsProjection';
import { handledTypes, type Projection } from '../projection';
import { webhookOutboxProjection } from '../outbox/outboxProjection';
import { ReadYourWrites } from '../readYourWrites';
import { READ_MODEL } from '../schema';

/** A store whose subscriptions hand each item through `map` before the runner sees it. */
const storeWith = (
  store: EventStore,
  map: (item: SubscriptionItem) => Promise<SubscriptionItem>,
): EventStore => ({
  appendToStream: (...args) => store.appendToStream(...args),
  readStream: (...args) => store.readStream(...args),
  readAll: (...args) => store.readAll(...args),
  compareCheckpoints: (a, b) => store.compareCheckpoints(a, b),
  ping: () => store.ping(),
  close: () => store.close(),
  subscribeToAll: (options): AllSubscription => {
    const inner = store.subscribeToAll(options);
    async function* items(): AsyncGenerator<SubscriptionItem> {
      for await (const item of inner) yield await map(item);
    }
    const iterator = items();
    return { [Symbol.asyncIterator]: () => iterator, unsubscribe: () => inner.unsubscribe() };
  },
});

/**
 * A store whose subscriptions filter some streams out server-side, as EventStoreDB does: in
 * their place the subscriber only gets `$checkpoint` items.
 */
const filteringStore = (store: EventStore, hiddenPrefix: string): EventStore =>
  storeWith(store, async (item) =>
    item.type === 'event' && item.event.streamId.startsWith(hiddenPrefix)
      ? { type: '$checkpoint', checkpoint: item.event.checkpoint }
      : item,
  );

describe('the projection runner', () => {
  const world = useReadModelWorld({ runners: false });

  it('moves its checkpoint on $checkpoint items, with no rows, so reads waiting on it answer', async () => {
    const { pool, store, w } = world;
    const filtered = filteringStore(store, 'channel-');
    const running = await startRunners(pool, filtered, { projections: [channelsProjection] });
    try {
      await createChannel(w, 'Hidden from the subscription');
      const position = w.lastPosition();
      const reads = new ReadYourWrites(pool, store);
      expect(await reads.waitFor(['channels'], position as never, 10_000)).toBe(true);
      expect(await tableRows(pool, READ_MODEL, 'channels')).toEqual([]);
    } finally {
      await running.stop();
    }
  });

  it('rebuilds in place when its version goes up, and an older build leaves the result alone', async () => {
    const { pool, store, w } = world;
    await mixedScenario(store, { seed: 7, steps: 120, writer: w });
    const v1 = await startRunners(pool, store, { projections: [dialogsProjection] });
    await waitForPosition(pool, store, w.lastPosition(), ['dialogs']);
    await v1.stop();
    const before = await tableRows(pool, READ_MODEL, 'messages');

    const v2Projection = { ...dialogsProjection, version: dialogsProjection.version + 1 };
    const v2 = await startRunners(pool, store, { projections: [v2Projection] });
    try {
      await waitForPosition(pool, store, w.lastPosition(), ['dialogs']);
      await eventually(
        async () => (await readCheckpoint(pool, 'dialogs'))?.version,
        (version) => version === v2Projection.version,
      );
    } finally {
      await v2.stop();
    }
    const rebuilt = await readCheckpoint(pool, 'dialogs');
    expect(rebuilt?.rebuiltAt).not.toBeNull();
    expect(await tableRows(pool, READ_MODEL, 'messages')).toEqual(before);

    // an older build must not rebuild the newer tables back
    const older = await startRunners(pool, store, { projections: [dialogsProjection] });
    try {
      await createChannel(w, 'written while only the older build runs');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await readCheckpoint(pool, 'dialogs'))?.version).toBe(v2Projection.version);
      expect((await readCheckpoint(pool, 'dialogs'))?.checkpoint).toBe(rebuilt?.checkpoint);
    } finally {
      await older.stop();
    }
  });

  it('given another writer moved its checkpoint past an event, when the runner commits the batch with it, then none of its writes is kept', async () => {
    const { pool, store, w } = world;
    let doomed: string | null = null;
    // between the runner reading the event and committing it, another writer moves past it
    const racing = storeWith(store, async (item) => {
      if (item.type === 'event' && item.event.streamId === doomed)
        await pool.query(
          `UPDATE read_model.projection_checkpoints SET checkpoint = $1 WHERE projection = 'channels'`,
          [item.event.checkpoint],
        );
      return item;
    });
    await createChannel(w, 'applied before the move');
    const running = await startRunners(pool, racing, { projections: [channelsProjection] });
    try {
      await waitForPosition(pool, store, w.lastPosition(), ['channels']);
      const before = await tableRows(pool, READ_MODEL, 'channels');
      const channelId = w.ids.objectId();
      doomed = `channel-${channelId}`;
      await w.run(doomed, channelDecider, {
        type: 'CreateChannel',
        data: { channelId, name: 'a batch that must not be written', now: w.now() },
      });

      await eventually(
        async () => running.runners[0]?.status().lastError ?? '',
        (error) => /checkpoint moved/.test(error),
      );
      expect(await tableRows(pool, READ_MODEL, 'channels')).toEqual(before);
      const stored = await readCheckpoint(pool, 'channels');
      expect(stored?.checkpoint).toBe(w.lastPosition());
    } finally {
      await running.stop();
    }
  });

  it('commits in batches of at most maxEvents, each with its checkpoint', async () => {
    const { pool, store } = world;
    const head = await headOf(store, pool);
    const running = await startRunners(pool, store, {
      projections: [contactsProjection],
      batch: { maxEvents: 10 },
    });
    try {
      await waitForPosition(pool, store, head, ['contacts']);
      const [runner] = running.runners;
      const status = runner?.status();
      expect(status?.eventsApplied).toBeGreaterThan(10);
      expect(status?.batches).toBeGreaterThanOrEqual(Math.ceil((status?.eventsApplied ?? 0) / 10));
      expect(await count(pool, 'SELECT count(*) AS n FROM read_model.contacts')).toBeGreaterThan(0);
      // it was given only the events it handles: the store filtered out the rest
      const handled = new Set(handledTypes(contactsProjection));
      const log = await store.readAll({ maxCount: 100_000 });
      const relevant = log.events.filter((e) => handled.has(e.type)).length;
      expect(relevant).toBeLessThan(log.events.length);
      expect(status?.eventsApplied).toBe(relevant);
    } finally {
      await running.stop();
    }
  });
});

/** A projection that writes down the synchronous_commit its batch runs under, per channel. */
const commitSettingOf = (name: string, derivedOnly: boolean): Projection => ({
  name,
  version: 1,
  tables: [name],
  createTables: async (db) => {
    await db.query(`CREATE TABLE IF NOT EXISTS ${name} (setting text NOT NULL)`);
  },
  handlers: {
    ChannelCreated: async (db) => {
      await db.query(`INSERT INTO ${name} SELECT current_setting('synchronous_commit')`);
    },
  },
  derivedOnly,
});

describe('a batch commit', () => {
  const world = useReadModelWorld({ runners: false });

  it('waits for no WAL flush for a derived-only read model, and does for the others', async () => {
    const { store, w } = world;
    // the test server runs with synchronous_commit off for speed: these connections with it on
    const pool = new Pool({
      connectionString: world.connectionString,
      options: '-c synchronous_commit=on',
    });
    const derived = commitSettingOf('derived_setting', true);
    const durable = commitSettingOf('durable_setting', false);
    const running = await startRunners(pool, store, { projections: [derived, durable] });
    try {
      await createChannel(w, 'Settings');
      await waitForPosition(pool, store, w.lastPosition(), [derived.name, durable.name]);
      const settings = async (table: string) =>
        (await pool.query<{ setting: string }>(`SELECT setting FROM ${READ_MODEL}.${table}`)).rows;
      expect(await settings(derived.name)).toEqual([{ setting: 'off' }]);
      expect(await settings(durable.name)).toEqual([{ setting: 'on' }]);
      // outside the batch, the connection's own setting is back
      expect((await pool.query('SHOW synchronous_commit')).rows).toEqual([
        { synchronous_commit: 'on' },
      ]);
    } finally {
      await running.stop();
      await pool.end();
    }
  });

  it('is derived-only for the read models, and durable for what acts outside', () => {
    const derivedOnly = (p: Projection) => p.derivedOnly === true;
    expect(allProjections.filter(derivedOnly).map((p) => p.name)).toEqual(
      allProjections.map((p) => p.name),
    );
    expect(derivedOnly(webhookOutboxProjection)).toBe(false);
    expect(derivedOnly(attachmentFetchQueueProjection)).toBe(false);
  });
});

describe('the first build of a projection', () => {
  const world = useReadModelWorld({ runners: false });

  it('on a long log, is built in bulk like a rebuild, query indexes last, then runs live', async () => {
    const { pool, store, w } = world;
    await mixedScenario(store, { seed: 7, steps: 60, writer: w });
    // "long" here: at least one event of its types, once the gap-safe log shows it (it shows a
    // commit when every older transaction of the server has ended, other files' tests' too;
    // the runner's look at the log was the test's race)
    await eventually(
      async () =>
        (await store.readAll({ maxCount: 1, eventTypes: handledTypes(contactsProjection) })).events
          .length,
      (n) => n > 0,
    );
    const running = await startRunners(pool, store, {
      projections: [contactsProjection],
      firstBuildInBulkAt: 1,
    });
    try {
      await waitForPosition(pool, store, await headOf(store, pool), ['contacts']);
      const built = await readCheckpoint(pool, 'contacts');
      expect(built?.rebuiltAt).not.toBeNull();
      expect(await count(pool, 'SELECT count(*) AS n FROM read_model.contacts')).toBeGreaterThan(0);
      const indexes = await pool.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'contacts'`,
        [READ_MODEL],
      );
      expect(indexes.rows.map((r) => r.indexname)).toContain('contacts_search');
      // then live, from where the build ended
      const contactId = await createContact(w, 'c1', 'Written after the build', []);
      await waitForPosition(pool, store, w.lastPosition(), ['contacts']);
      const rows = await pool.query('SELECT name FROM read_model.contacts WHERE contact_id = $1', [
        contactId,
      ]);
      expect(rows.rows).toEqual([{ name: 'Written after the build' }]);
    } finally {
      await running.stop();
    }
  });

  it('of the webhook outbox or the attachment queue, on a long log, goes batch by batch without a failed attempt: they are never rebuilt', async () => {
    const { pool, store, w } = world;
    await mixedScenario(store, { seed: 8, steps: 20, writer: w });
    const projections = [webhookOutboxProjection, attachmentFetchQueueProjection];
    const running = await startRunners(pool, store, { projections, firstBuildInBulkAt: 1 });
    try {
      await waitForPosition(
        pool,
        store,
        await headOf(store, pool),
        projections.map((p) => p.name),
      );
      for (const runner of running.runners)
        expect(runner.status()).toMatchObject({ lastError: null, active: true });
      for (const { name } of projections)
        expect((await readCheckpoint(pool, name))?.rebuiltAt).toBeNull();
    } finally {
      await running.stop();
    }
  });
});
