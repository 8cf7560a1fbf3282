import type { Pool } from 'pg';
import { PostgresEventStore } from '../src/infrastructure/eventstore/postgres/postgresEventStore';
import { allProjections } from '../src/projections/allProjections';
import { LOCKS } from '../src/projections/runner/lockKeys';
import { spawnRunners, type ChildRunners } from './support/childRunners';
import { createTestDatabase } from './support/database';
import { eventually } from './support/eventually';
import { waitForPosition } from './support/readModel';
import { mixedScenario } from './support/scenario';
import { writer } from './support/writer';

const NAMES = allProjections.map((p) => p.name);

/** Sessions holding a projection lock right now, as PostgreSQL sees them. */
const lockHolders = async (pool: Pool): Promise<number> =>
  Number(
    (
      await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_locks
         WHERE locktype = 'advisory' AND granted AND classid = $1::int::oid
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [LOCKS.projection],
      )
    ).rows[0]?.n,
  );

/** Every projection is active in exactly one of the children. */
const exactlyOneActive = (children: readonly ChildRunners[]): boolean =>
  NAMES.every((name) => children.filter((c) => c.active().has(name)).length === 1);

describe('projection runners in several processes', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  const children: ChildRunners[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.pool, { pollIntervalMs: 50 });
  });
  afterAll(async () => {
    for (const c of children) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await store.close();
    await db.drop();
  });

  const spawn = (): ChildRunners => {
    const child = spawnRunners({ DATABASE_URL: db.connectionString, STANDBY_RETRY_MS: '150' });
    children.push(child);
    return child;
  };

  it('runs each projection in one process only, and a standby takes over when it stops or dies', async () => {
    const w = writer(store);
    await mixedScenario(store, { seed: 3, steps: 60, writer: w });
    const [a, b] = [spawn(), spawn()];
    await Promise.all([a, b].map((c) => c.waitFor((l) => l.event === 'started')));
    await eventually(async () => exactlyOneActive([a, b]), Boolean);
    // no process takes a lock another holds, however long they compete
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(exactlyOneActive([a, b])).toBe(true);
    expect(await lockHolders(db.pool)).toBe(NAMES.length);
    await waitForPosition(db.pool, store, w.lastPosition());

    // a graceful stop hands every projection over
    const first = a.active().size > 0 ? a : b;
    const second = first === a ? b : a;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await eventually(
      async () => second.active().size,
      (n) => n === NAMES.length,
    );
    await mixedScenario(store, { seed: 4, steps: 40, writer: w });
    await waitForPosition(db.pool, store, w.lastPosition());

    // a killed holder's session dies with it, and a new standby takes over
    const third = spawn();
    await third.waitFor((l) => l.event === 'started');
    second.child.kill('SIGKILL');
    await second.exited;
    await eventually(
      async () => third.active().size,
      (n) => n === NAMES.length,
    );
    await mixedScenario(store, { seed: 5, steps: 40, writer: w });
    await waitForPosition(db.pool, store, w.lastPosition());
    expect(await lockHolders(db.pool)).toBe(NAMES.length);
  });
});
