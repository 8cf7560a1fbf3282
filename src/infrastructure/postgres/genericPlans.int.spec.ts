import type { Pool } from 'pg';
import { useTestDatabase } from '../../../test/support/database';
import { anEvent } from '../../../test/support/fakeEventStoreDb/anEvent';
import { PostgresEventStore } from '../eventstore/postgres/postgresEventStore';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { openDatabase } from './database';
import { createPool, GENERIC_PLANS } from './pool';

/** How the one connection of `pool` has run the log's typed read so far. */
const typedReadPlans = async (pool: Pool): Promise<{ generic: number; custom: number }> => {
  const { rows } = await pool.query<{ generic_plans: string; custom_plans: string }>(
    `SELECT generic_plans, custom_plans FROM pg_prepared_statements
     WHERE name = 'event_store_read_all_of_types'`,
  );
  const row = rows[0];
  return { generic: Number(row?.generic_plans ?? 0), custom: Number(row?.custom_plans ?? 0) };
};

describe('the log read on generic plans (GENERIC_PLANS)', () => {
  const db = useTestDatabase();

  it("given the store's reads on a pool of GENERIC_PLANS, when a projection reads the log by type again and again, then PostgreSQL plans the statement once, where the appends' pool plans it at every call", async () => {
    const generic = createPool({
      connectionString: db.connectionString,
      max: 1,
      settings: GENERIC_PLANS,
    });
    const plain = createPool({ connectionString: db.connectionString, max: 1 });
    const stores = [
      new PostgresEventStore(db.pool, { readPool: generic }),
      new PostgresEventStore(db.pool, { readPool: plain }),
    ];
    try {
      await stores[0]?.appendToStream('planned-1', [anEvent('Wanted')], {
        expectedRevision: 'no_stream',
      });
      // what each read returns depends on other test files' open transactions (the gap-safe
      // horizon is the cluster's); how its statement is planned does not
      for (const store of stores)
        for (let i = 0; i < 8; i++) await store.readAll({ eventTypes: ['Wanted'], maxCount: 10 });
      expect((await generic.query('SHOW plan_cache_mode')).rows).toEqual([
        { plan_cache_mode: 'force_generic_plan' },
      ]);
      expect(await typedReadPlans(generic)).toEqual({ generic: 8, custom: 0 });
      // why: on its own, PostgreSQL keeps a custom plan for this statement, planned each time
      expect((await typedReadPlans(plain)).custom).toBeGreaterThanOrEqual(5);
    } finally {
      for (const store of stores) await store.close();
      await generic.end();
      await plain.end();
    }
  });

  it("given a Parley's database, then the runners' and the log readers' pools plan generically and the requests' pool as PostgreSQL chooses", async () => {
    const config = loadConfig({ DATABASE_URL: db.connectionString, DATA_DIR: '/nonexistent' });
    const database = await openDatabase(config, createLogger('silent'), 2, 2);
    try {
      const mode = async (pool: Pool): Promise<unknown> =>
        (await pool.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode')).rows[0]
          ?.plan_cache_mode;
      expect({
        requests: await mode(database.pool),
        runners: await mode(database.readSidePool),
        logReads: await mode(database.logReadPool),
      }).toEqual({
        requests: 'auto',
        runners: 'force_generic_plan',
        logReads: 'force_generic_plan',
      });
    } finally {
      await database.release();
    }
  });
});
