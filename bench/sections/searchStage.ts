import { createPool } from '../../src/infrastructure/postgres/pool';
import { migrate } from '../../src/infrastructure/postgres/migrations';
import { contactsProjection } from '../../src/projections/contacts/contactsProjection';
import type { BenchContext } from '../lib/context';
import { startParleyProcess, type ParleyProcess } from '../lib/parleyProcess';
import { round } from '../lib/stats';
import { seedContactTables } from '../seed/contactTables';
import { waitForProjections } from './lagProbe';
import type { LogStage } from './logStage';

/** Contacts the search runs over, and how they got there. */
export type SearchStage = Readonly<{
  contacts: number;
  url: string;
  /** the Parley answering, whose CPU the section meters */
  parleyPid: number;
  /** 'event log': seeded events the projection applied; 'bulk': rows written directly */
  seeding: 'event log' | 'bulk';
  seedSeconds: number;
  stop(): Promise<void>;
}>;

/** Above this many contacts the read model is written directly: the log would take hours. */
export const BULK_ABOVE = 100_000;

export const fromLog = (stage: LogStage): SearchStage => ({
  contacts: stage.log.contacts,
  url: stage.parley.url,
  parleyPid: stage.parley.pid,
  seeding: 'event log',
  seedSeconds: round(stage.log.seedSeconds + stage.catchUp.seconds, 1),
  stop: async () => undefined, // the log stage is shared and stopped by the run
});

/**
 * A Parley on an empty log whose contacts read model then gets `searchContacts` contacts in
 * bulk; its query indexes are dropped for the load and built after it, as a rebuild does.
 */
export const bulkSearchStage = async (bench: BenchContext): Promise<SearchStage> => {
  const contacts = bench.options.searchContacts;
  const databaseUrl = await bench.server.createDatabase('search');
  // one connection: the bulk statements run for minutes, past the pool's statement timeout
  const pool = createPool({ connectionString: databaseUrl, max: 1, applicationName: 'bench-seed' });
  pool.on('connect', (client) => void client.query('SET statement_timeout = 0'));
  let parley: ParleyProcess | null = null;
  try {
    await migrate(pool);
    parley = await startParleyProcess({ databaseUrl, poolSize: bench.options.poolSize });
    await waitForProjections(databaseUrl, 120_000);
    bench.log(`search: writing ${contacts} contacts into the read model in bulk (generate_series)`);
    const started = performance.now();
    const indexes = (contactsProjection.queryIndexes ?? []).map(
      (sql) => /CREATE INDEX (\w+)/.exec(sql)?.[1] as string,
    );
    for (const name of indexes) await pool.query(`DROP INDEX IF EXISTS read_model.${name}`);
    await seedContactTables(pool, '6b077fb6f0941801d9692aff', contacts);
    await pool.query('SET search_path = read_model, public');
    for (const sql of contactsProjection.queryIndexes ?? [])
      await pool.query(sql.replace('CREATE INDEX', 'CREATE INDEX IF NOT EXISTS'));
    // as a rebuild does after its indexes (src/projections/rebuild.ts)
    for (const table of contactsProjection.tables)
      await pool.query(`VACUUM (ANALYZE, INDEX_CLEANUP ON) read_model.${table}`);
    const seedSeconds = round((performance.now() - started) / 1000, 1);
    bench.log(`search: ${contacts} contacts written and indexed in ${seedSeconds} s`);
    const running = parley;
    return {
      contacts,
      url: running.url,
      parleyPid: running.pid,
      seeding: 'bulk',
      seedSeconds,
      stop: () => running.stop(),
    };
  } catch (error) {
    await parley?.stop();
    throw error;
  } finally {
    await pool.end();
  }
};
