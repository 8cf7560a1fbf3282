/**
 * A process that runs projection runners and nothing else, for tests that need several real
 * processes competing for the projections, or one to kill mid-batch. Writes one JSON line to
 * stdout per state change. Environment:
 *   DATABASE_URL            the database
 *   PROJECTIONS             comma-separated names (default: all)
 *   BATCH_MAX_EVENTS        events per batch (default 500)
 *   STANDBY_RETRY_MS        how often a standby tries the lock (default 200)
 *   HANG_PROJECTION, HANG_AT_BATCH
 *                           that projection's n-th batch never commits: the process reports
 *                           "before-commit" and waits to be killed
 */
import { PostgresEventStore } from '../../src/infrastructure/eventstore/postgres/postgresEventStore';
import { checkedMasterKeys } from '../../src/infrastructure/keys/masterKey';
import { protectStore } from '../../src/infrastructure/privacy/protection';
import { TEST_MASTER_KEY } from './process';
import { createPool } from '../../src/infrastructure/postgres/pool';
import { allProjections } from '../../src/projections/allProjections';
import {
  ProjectionRunner,
  type CommittingBatch,
} from '../../src/projections/runner/projectionRunner';

const say = (line: Record<string, unknown>): void =>
  void process.stdout.write(`${JSON.stringify({ pid: process.pid, ...line })}\n`);

const main = async (): Promise<void> => {
  const env = process.env;
  const pool = createPool({ connectionString: env.DATABASE_URL ?? '', max: 8 });
  // projections read through the privacy codec, as in Parley
  const { store } = await protectStore(
    pool,
    new PostgresEventStore(pool, { pollIntervalMs: 50 }),
    await checkedMasterKeys(pool, {
      masterKey: { current: env.PARLEY_MASTER_KEY ?? TEST_MASTER_KEY, previous: null },
      dataDir: '/nonexistent',
    }),
  );
  const names = (env.PROJECTIONS ?? allProjections.map((p) => p.name).join(',')).split(',');
  const hangAt = Number(env.HANG_AT_BATCH ?? 0);
  let batches = 0;
  const runners = allProjections
    .filter((p) => names.includes(p.name))
    .map(
      (projection) =>
        new ProjectionRunner({
          pool,
          store,
          projection,
          batch: { maxEvents: Number(env.BATCH_MAX_EVENTS ?? 500) },
          standbyRetryMs: Number(env.STANDBY_RETRY_MS ?? 200),
          yieldCheckMs: 100,
          onActiveChange: (active) =>
            say({ event: active ? 'active' : 'standby', projection: projection.name }),
          // only where a batch is to hang: a runner with the hook commits in several round
          // trips, one without it (every other runner here, as in production) in one message
          ...(projection.name === env.HANG_PROJECTION && hangAt > 0
            ? {
                beforeCommit: async ({ events, checkpoint }: CommittingBatch) => {
                  if (++batches !== hangAt) return;
                  say({
                    event: 'before-commit',
                    projection: projection.name,
                    events: events.length,
                    checkpoint,
                  });
                  await new Promise(() => undefined);
                },
              }
            : {}),
        }),
    );
  for (const runner of runners) await runner.start();
  say({ event: 'started' });
  process.on('SIGTERM', () => {
    void (async () => {
      await Promise.all(runners.map((r) => r.stop()));
      await store.close();
      await pool.end();
      say({ event: 'stopped' });
      process.exit(0);
    })();
  });
};

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
