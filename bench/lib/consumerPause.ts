import { Client } from 'pg';
import { keyOf, LOCKS } from '../../src/projections/runner/lockKeys';

/** Pauses one consumer of the log (a projection, the notary) in a running Parley, and resumes it. */
export type ConsumerPause = Readonly<{
  /** resolves once the consumer's active runner let go of its lock: nothing is applied after */
  pause(): Promise<void>;
  /** a standby runner takes the lock again within its retry interval (1 s) and catches up */
  resume(): Promise<void>;
  close(): Promise<void>;
}>;

/**
 * Holds the consumer's runner lock on a session of the bench's, as a rebuild does: the active
 * runner sees a session queued on its lock (it looks every 2 s), lets go after its batch, and
 * its process's standby retries fail until the bench lets go. The same process, its caches and
 * its JIT stay as they were, where a restart with the consumer turned off changed all three.
 */
export const consumerPause = async (
  databaseUrl: string,
  consumer: string,
): Promise<ConsumerPause> => {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-pause' });
  await client.connect();
  const key = [LOCKS.projection, keyOf(consumer)];
  let held = false;
  return {
    pause: async () => {
      if (held) return;
      await client.query('SELECT pg_advisory_lock($1, $2)', key);
      held = true;
    },
    resume: async () => {
      if (!held) return;
      await client.query('SELECT pg_advisory_unlock($1, $2)', key);
      held = false;
    },
    // the session's end releases the lock whatever state it was left in
    close: () => client.end(),
  };
};
