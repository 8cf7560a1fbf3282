import { createPool } from '../../src/infrastructure/postgres/pool';
import { migrate } from '../../src/infrastructure/postgres/migrations';
import type { BenchContext } from '../lib/context';
import { startParleyProcess, type ParleyProcess } from '../lib/parleyProcess';
import { settlePostgres } from '../lib/settle';
import { round } from '../lib/stats';
import { seedEventLog, type LogSeeded } from '../seed/eventLog';
import { waitForProjections } from './lagProbe';

/** An inbox's dialogs in a log of their own, with a Parley whose consumers have applied it. */
export type DialogStage = Readonly<{
  databaseUrl: string;
  channelId: string;
  dialogs: number;
  contacts: number;
  operators: number;
  events: number;
  /** writing the log (multi-row appends into the event store's tables) */
  seedSeconds: number;
  /** Parley's runners from position 0 until every consumer is at the head (read models in bulk) */
  catchUpSeconds: number;
  parley: ParleyProcess;
  stop(): Promise<void>;
}>;

const CHANNEL_ID = '6b077fb6f0941801d9692aff';
const MESSAGES_PER_DIALOG = 5;
const OPERATORS = 20;

/**
 * The dialog list's own stage: `dialogs` dialogs of five customer messages (answered, assigned
 * and closed as an inbox's are: LogSeed.inbox) and `dialogContacts` contacts, in a log that
 * holds nothing else. Parley builds its read models from it as it would in production: a first
 * build on a long log is a bulk build (the rebuild's code, query indexes last). The big log of
 * the projections and the search (810,000 events, 100,000 contacts) took its consumers over
 * 1,400 s to apply on a loaded machine; this one takes a few minutes.
 */
export const startDialogStage = async (bench: BenchContext): Promise<DialogStage> => {
  const { dialogs, dialogContacts: contacts } = bench.options;
  const databaseUrl = await bench.server.createDatabase('dialogs');
  const pool = createPool({ connectionString: databaseUrl, max: 1, applicationName: 'bench-seed' });
  let seeded: LogSeeded;
  try {
    await migrate(pool);
    bench.log(
      `dialogs: seeding the log: ${contacts} contacts, ${OPERATORS} operators, ${dialogs} dialogs (direct multi-row appends)`,
    );
    seeded = await seedEventLog(pool, {
      channelId: CHANNEL_ID,
      contacts,
      dialogs,
      messagesPerDialog: MESSAGES_PER_DIALOG,
      inbox: { operators: OPERATORS },
    });
    await pool.query('VACUUM (ANALYZE) event_store.events');
  } finally {
    await pool.end();
  }
  const seedSeconds = round(seeded.seconds, 1);
  bench.log(
    `dialogs: ${seeded.events} events written in ${seedSeconds} s; Parley catches up from 0`,
  );
  const parley = await startParleyProcess({ databaseUrl, poolSize: bench.options.poolSize });
  try {
    const ms = await waitForProjections(databaseUrl, 15 * 60_000, (atHead, of, arrived) =>
      bench.log(
        `  … ${atHead} of ${of} consumers at the head (${[...arrived]
          .map(([name, at]) => `${name} ${round(at / 1000, 1)} s`)
          .join(', ')})`,
      ),
    );
    const catchUpSeconds = round(ms / 1000, 1);
    bench.log(`dialogs: every consumer at the head after ${catchUpSeconds} s`);
    // what autovacuum does within a minute of a bulk build, done before the clock starts, so
    // that no VACUUM or ANALYZE of the fresh tables falls inside the measured phases
    const refused = await settlePostgres(databaseUrl);
    if (refused !== null)
      bench.log(`dialogs: no VACUUM and CHECKPOINT before the load: ${refused}`);
    return {
      databaseUrl,
      channelId: seeded.channelId,
      dialogs,
      contacts,
      operators: OPERATORS,
      events: seeded.events,
      seedSeconds,
      catchUpSeconds,
      parley,
      stop: () => parley.stop(),
    };
  } catch (error) {
    await parley.stop();
    throw error;
  }
};
