import { PostgresEventStore } from '../src/infrastructure/eventstore/postgres/postgresEventStore';
import { allProjections } from '../src/projections/allProjections';
import { readCheckpoint } from '../src/projections/checkpoints';
import { buildShadow, dropShadow } from '../src/projections/rebuild';
import { READ_MODEL } from '../src/projections/schema';
import type { Checkpoint } from '../src/application/ports/eventStore';
import { spawnRunners } from './support/childRunners';
import { createTestDatabase } from './support/database';
import { count, headOf, startRunners, tableRows, waitForPosition } from './support/readModel';
import { mixedScenario } from './support/scenario';

/**
 * A runner process killed after applying a batch and before committing it: the batch's rows
 * and checkpoint vanish together, and the runner that takes over applies the batch once.
 */
describe('a projection runner killed between applying a batch and committing it', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.pool, { pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('leaves no row missing or duplicated after a restart', async () => {
    await mixedScenario(store, { seed: 42, steps: 250 });
    const head = await headOf(store, db.pool);

    const doomed = spawnRunners({
      DATABASE_URL: db.connectionString,
      PROJECTIONS: 'dialogs',
      BATCH_MAX_EVENTS: '25',
      HANG_PROJECTION: 'dialogs',
      HANG_AT_BATCH: '4',
    });
    const hung = await doomed.waitFor((line) => line.event === 'before-commit');
    expect(hung.events).toBeGreaterThan(0);
    // the batch is applied inside its open transaction: nothing of it is visible yet
    const stored = await readCheckpoint(db.pool, 'dialogs');
    expect(stored?.checkpoint).not.toBeNull();
    expect(
      store.compareCheckpoints(stored?.checkpoint ?? null, hung.checkpoint as Checkpoint),
    ).toBe(-1);
    const messagesBefore = await count(db.pool, 'SELECT count(*) AS n FROM read_model.messages');

    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect(await count(db.pool, 'SELECT count(*) AS n FROM read_model.messages')).toBe(
      messagesBefore,
    );
    expect((await readCheckpoint(db.pool, 'dialogs'))?.checkpoint).toBe(stored?.checkpoint);

    // a restarted runner takes over the lock the dead session held, and finishes the job
    const restarted = await startRunners(db.pool, store, { projections: allProjections });
    try {
      await waitForPosition(db.pool, store, head);
    } finally {
      await restarted.stop();
    }

    const messageEvents = await count(
      db.pool,
      `SELECT count(*) AS n FROM event_store.events
       WHERE event_type IN ('MessageReceived', 'MessageSent')`,
    );
    expect(await count(db.pool, 'SELECT count(*) AS n FROM read_model.messages')).toBe(
      messageEvents,
    );
    expect(
      await count(db.pool, 'SELECT sum(messages_in + messages_out) AS n FROM read_model.dialogs'),
    ).toBe(messageEvents);
    for (const projection of allProjections) {
      const fresh = await buildShadow({ pool: db.pool, store, projection });
      for (const table of projection.tables) {
        expect(await tableRows(db.pool, READ_MODEL, table)).toEqual(
          await tableRows(db.pool, fresh.shadow, table),
        );
      }
      await dropShadow(db.pool, projection);
    }
  });
});
