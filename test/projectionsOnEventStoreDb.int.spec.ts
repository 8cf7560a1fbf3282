import { readCheckpoints } from '../src/projections/checkpoints';
import { allProjections } from '../src/projections/allProjections';
import { buildShadow, dropShadow } from '../src/projections/rebuild';
import { READ_MODEL } from '../src/projections/schema';
import { EventStoreDbEventStore } from '../src/infrastructure/eventstore/eventstoredb/eventStoreDbEventStore';
import { createTestDatabase } from './support/database';
import { startFakeEventStoreDb, type FakeEventStoreDb } from './support/fakeEventStoreDb/server';
import { count, startRunners, tableRows, waitForPosition } from './support/readModel';
import { mixedScenario } from './support/scenario';
import { writer } from './support/writer';

/*
 * The projection runners unchanged on the EventStoreDB adapter (the real client over gRPC,
 * against the protocol fake of test/support/fakeEventStoreDb; not EventStoreDB itself): they
 * subscribe to $all from their checkpoint, system events filtered out, and keep the adapter's
 * checkpoint in PostgreSQL with the rows, so a restart resumes exactly where they were.
 */
describe('projections over the EventStoreDB adapter', () => {
  let server: FakeEventStoreDb;
  let store: EventStoreDbEventStore;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    server = await startFakeEventStoreDb();
    store = await EventStoreDbEventStore.connect(server.url, { checkpointInterval: 1 });
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
    await db?.drop();
  });

  it('build, stop, resume from their checkpoints, and match a rebuild from position 0', async () => {
    const w = writer(store);
    let runners = await startRunners(db.pool, store);
    await mixedScenario(store, { seed: 42, steps: 150, writer: w });
    await waitForPosition(db.pool, store, w.lastPosition());

    // the checkpoint kept in PostgreSQL is the adapter's, commit and prepare positions
    for (const row of await readCheckpoints(db.pool))
      expect(row.checkpoint).toMatch(/^C:\d+\/P:\d+$/);

    // stopped while the history goes on, then resumed: nothing missed, nothing applied twice
    await runners.stop();
    await mixedScenario(store, { seed: 43, steps: 150, writer: w });
    runners = await startRunners(db.pool, store);
    await waitForPosition(db.pool, store, w.lastPosition());
    await runners.stop();

    expect(await count(db.pool, 'SELECT count(*) AS n FROM read_model.messages')).toBeGreaterThan(
      100,
    );
    for (const projection of allProjections) {
      const shadow = await buildShadow({ pool: db.pool, store, projection });
      for (const table of projection.tables) {
        const rebuilt = await tableRows(db.pool, shadow.shadow, table);
        const incremental = await tableRows(db.pool, READ_MODEL, table);
        expect({ table, rows: rebuilt }).toEqual({ table, rows: incremental });
      }
      await dropShadow(db.pool, projection);
    }
  }, 120_000);
});
