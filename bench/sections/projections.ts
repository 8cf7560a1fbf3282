import { PostgresEventStore } from '../../src/infrastructure/eventstore/postgres/postgresEventStore';
import { createPool } from '../../src/infrastructure/postgres/pool';
import { notAvailable, type BenchContext, type NotAvailable } from '../lib/context';
import { round } from '../lib/stats';
import type { SeededLog } from './eventLog';

export type ProjectionsSection = Readonly<{
  status: 'ok';
  log: Omit<SeededLog, 'databaseUrl'>;
  /** the store alone: paging the whole log in 1,000-event pages, as a catching-up runner does */
  readAll: Readonly<{ events: number; seconds: number; eventsPerSecond: number }>;
  /** the projection runner rebuilding every read model from position 0 */
  rebuild:
    | Readonly<{ status: 'ok'; events: number; seconds: number; eventsPerSecond: number }>
    | NotAvailable;
}>;

const readWholeLog = async (databaseUrl: string) => {
  const pool = createPool({
    connectionString: databaseUrl,
    max: 2,
    applicationName: 'bench-readall',
  });
  const store = new PostgresEventStore(pool);
  try {
    const started = performance.now();
    let from = null;
    let events = 0;
    for (;;) {
      const page = await store.readAll({ from, maxCount: 1000 });
      events += page.events.length;
      from = page.checkpoint;
      if (page.events.length < 1000) break;
    }
    const seconds = (performance.now() - started) / 1000;
    return { events, seconds: round(seconds, 2), eventsPerSecond: round(events / seconds, 0) };
  } finally {
    await store.close();
    await pool.end();
  }
};

export const runProjections = async (
  bench: BenchContext,
  log: SeededLog,
): Promise<ProjectionsSection> => {
  bench.log(`projections: reading the whole log (${log.events} events)`);
  const readAll = await readWholeLog(log.databaseUrl);
  const { databaseUrl: _url, ...described } = log;
  return {
    status: 'ok',
    log: described,
    readAll,
    rebuild: notAvailable(
      'the projection runner and `npm run projections -- rebuild` (issue 4) are not on main yet',
    ),
  };
};
