import { PostgresEventStore } from '../../src/infrastructure/eventstore/postgres/postgresEventStore';
import { NOTARY } from '../../src/infrastructure/audit/notary';
import { createPool } from '../../src/infrastructure/postgres/pool';
import { allProjections } from '../../src/projections/allProjections';
import { readCheckpoints } from '../../src/projections/checkpoints';
import { measureLag } from '../../src/projections/lag';
import { Samples, type LatencySummary } from '../lib/stats';

export type LagSummary = Readonly<{
  /** what was measured */
  consumer: string;
  /** samples, every SAMPLE_MS, of how long the oldest event not yet applied by the slowest projection had been in the log (0 when caught up) */
  lagMs: LatencySummary;
  /** each consumer's own lag p99 (ms), by checkpoint name: which one is the slowest */
  p99ByConsumer?: Readonly<Record<string, number>>;
}>;

export type LagProbe = Readonly<{ stop(): Promise<LagSummary> }>;

const SAMPLE_MS = 250;
/** how often a wait looks: a phase that ends on a wait is this much too long at most */
const POLL_MS = 50;

/**
 * Watches the projections that the Parley process runs while the load is on: every SAMPLE_MS,
 * how long the oldest event the slowest one has not applied yet has been in the log.
 */
export const startLagProbe = async (databaseUrl: string): Promise<LagProbe> => {
  const pool = createPool({ connectionString: databaseUrl, max: 2, applicationName: 'bench-lag' });
  const store = new PostgresEventStore(pool);
  const samples = new Samples();
  const byConsumer = new Map<string, Samples>();
  let stopped = false;
  const sampling = (async () => {
    while (!stopped) {
      const started = Date.now();
      // the oldest event not yet applied is all it takes: one event read per projection
      const rows = await readCheckpoints(pool);
      const now = new Date();
      const lags = await Promise.all(rows.map((row) => measureLag(store, row.checkpoint, now, 1)));
      samples.add(Math.max(0, ...lags.map((lag) => lag.secondsBehind * 1000)));
      rows.forEach((row, i) => {
        const own = byConsumer.get(row.projection) ?? new Samples();
        byConsumer.set(row.projection, own);
        own.add((lags[i]?.secondsBehind ?? 0) * 1000);
      });
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, SAMPLE_MS - (Date.now() - started))),
      );
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await sampling;
      await store.close();
      await pool.end();
      return {
        consumer: `slowest of ${allProjections.map((p) => p.name).join(', ')}, sampled every ${SAMPLE_MS} ms`,
        lagMs: samples.summary(),
        p99ByConsumer: Object.fromEntries(
          [...byConsumer].map(([name, own]) => [name, own.summary().p99]),
        ),
      };
    },
  };
};

/**
 * Which consumers a wait counts besides the read models and the webhook outbox: the audit
 * notary must be at the head too ('wait'), or is left out because it does not run ('ignore');
 * by default it counts when its row is there.
 */
export type NotaryWait = 'wait' | 'ignore' | 'if-present';

/**
 * Waits until every projection and the webhook outbox (every checkpoint row) has applied the
 * whole log; resolves to the time it took.
 */
export const waitForProjections = async (
  databaseUrl: string,
  timeoutMs: number,
  /** how many of them are at the head of the log, of how many; when each first got there (ms) */
  onProgress: (atHead: number, of: number, arrivedMs: ReadonlyMap<string, number>) => void = () =>
    undefined,
  notary: NotaryWait = 'if-present',
): Promise<number> => {
  const pool = createPool({ connectionString: databaseUrl, max: 2, applicationName: 'bench-wait' });
  const store = new PostgresEventStore(pool);
  const started = Date.now();
  // and the webhook outbox, and the notary when it must be there
  const expected = allProjections.length + 1 + (notary === 'wait' ? 1 : 0);
  const arrivedMs = new Map<string, number>();
  try {
    for (let polls = 0; ; polls++) {
      const rows = (await readCheckpoints(pool)).filter(
        (row) => notary !== 'ignore' || row.projection !== NOTARY,
      );
      const lags = await Promise.all(
        rows.map((row) => measureLag(store, row.checkpoint, new Date(), 1)),
      );
      rows.forEach((row, i) => {
        if (lags[i]?.eventsBehind === 0 && !arrivedMs.has(row.projection))
          arrivedMs.set(row.projection, Date.now() - started);
      });
      if (rows.length >= expected && lags.every((lag) => lag.eventsBehind === 0)) {
        onProgress(rows.length, rows.length, arrivedMs);
        return Date.now() - started;
      }
      if (Date.now() - started > timeoutMs)
        throw new Error(`projections still behind after ${timeoutMs} ms`);
      // each reads only the types it handles, so their event counts are not comparable
      if (polls % 100 === 99)
        // the consumers with a checkpoint (the notary's and the queues' too) or, before they
        // all wrote one, those expected
        onProgress(
          lags.filter((lag) => lag.eventsBehind === 0).length,
          Math.max(expected, rows.length),
          arrivedMs,
        );
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await store.close();
    await pool.end();
  }
};

/** Waits until the named consumer (the webhook outbox, say) has applied the whole log. */
export const waitForCheckpoint = async (
  databaseUrl: string,
  name: string,
  timeoutMs: number,
): Promise<void> => {
  const pool = createPool({ connectionString: databaseUrl, max: 2, applicationName: 'bench-wait' });
  const store = new PostgresEventStore(pool);
  const started = Date.now();
  try {
    for (;;) {
      const row = (await readCheckpoints(pool)).find((r) => r.projection === name);
      if (
        row !== undefined &&
        (await measureLag(store, row.checkpoint, new Date(), 1)).eventsBehind === 0
      )
        return;
      if (Date.now() - started > timeoutMs)
        throw new Error(`${name} still behind after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await store.close();
    await pool.end();
  }
};
