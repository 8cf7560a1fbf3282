import { createPool } from '../../src/infrastructure/postgres/pool';
import { migrate } from '../../src/infrastructure/postgres/migrations';
import type { BenchContext } from '../lib/context';
import { round } from '../lib/stats';
import { seedEventLog } from '../seed/eventLog';

export type SeededLog = Readonly<{
  databaseUrl: string;
  channelId: string;
  contacts: number;
  dialogs: number;
  events: number;
  seedSeconds: number;
}>;

const MESSAGES_PER_DIALOG = 5;
/** events of a dialog: reference claim, DialogOpened, its messages */
const DIALOG_EVENTS = 2 + MESSAGES_PER_DIALOG;

/**
 * One big log for the projection rebuild and the contact search: `searchContacts` contacts
 * and enough dialogs that the log holds at least `logEvents` events (and a fifth as many
 * dialogs as contacts at the least, so every read model has rows).
 */
export const seedBigLog = async (bench: BenchContext): Promise<SeededLog> => {
  const { searchContacts, logEvents } = bench.options;
  const databaseUrl = await bench.server.createDatabase('log');
  const pool = createPool({ connectionString: databaseUrl, max: 2, applicationName: 'bench-seed' });
  try {
    await migrate(pool);
    // ~6.7 events per contact: claims and registrations per data item, creation, data added
    const contactEvents = Math.round(searchContacts * 6.7);
    const dialogs = Math.max(
      Math.ceil(searchContacts / 5),
      Math.ceil((logEvents - contactEvents) / DIALOG_EVENTS),
    );
    bench.log(
      `seeding the log: ${searchContacts} contacts, ${dialogs} dialogs (direct multi-row appends)`,
    );
    const seeded = await seedEventLog(pool, {
      channelId: '6b077fb6f0941801d9692aff',
      contacts: searchContacts,
      dialogs,
      messagesPerDialog: MESSAGES_PER_DIALOG,
    });
    await pool.query('VACUUM ANALYZE event_store.events');
    return {
      databaseUrl,
      channelId: seeded.channelId,
      contacts: searchContacts,
      dialogs,
      events: seeded.events,
      seedSeconds: round(seeded.seconds, 1),
    };
  } finally {
    await pool.end();
  }
};
