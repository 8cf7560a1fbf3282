import { PostgresEventStore } from '../../src/infrastructure/eventstore/postgres/postgresEventStore';
import { createPool } from '../../src/infrastructure/postgres/pool';
import { Samples, type LatencySummary } from '../lib/stats';

export type LagSummary = Readonly<{
  /** what was measured: a projection's checkpoint, or the store's own subscription */
  consumer: string;
  /** ms from an event's commit to the consumer having it */
  lagMs: LatencySummary;
}>;

export type LagProbe = Readonly<{ stop(): Promise<LagSummary> }>;

/**
 * Follows the global log from its current end, as a projection does, and records for every
 * event how long after its append the gap-safe read handed it over. A projection can be no
 * less behind than this; its own write time comes on top.
 */
export const startLagProbe = async (databaseUrl: string): Promise<LagProbe> => {
  const pool = createPool({ connectionString: databaseUrl, max: 2, applicationName: 'bench-lag' });
  const store = new PostgresEventStore(pool, { pollIntervalMs: 100 });
  let from = null;
  for (;;) {
    const page = await store.readAll({ from, maxCount: 10_000 });
    from = page.checkpoint;
    if (page.events.length < 10_000) break;
  }
  const samples = new Samples();
  const subscription = store.subscribeToAll({ from });
  const following = (async () => {
    for await (const item of subscription) {
      if (item.type === 'event') samples.add(Date.now() - item.event.created.getTime());
    }
  })();
  return {
    stop: async () => {
      await subscription.unsubscribe();
      await following;
      await store.close();
      await pool.end();
      return { consumer: 'event store subscription (gap-safe readAll)', lagMs: samples.summary() };
    },
  };
};
