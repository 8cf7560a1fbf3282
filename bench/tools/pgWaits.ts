import { Client } from 'pg';

/**
 * What PostgreSQL's backends are doing, sampled: every `intervalMs` (20 by default), one query
 * over `pg_stat_activity` and `pg_locks` lists the database's busy client backends, each with
 * its wait event (none: on CPU), the lock it waits for and who holds it. Summed over a load
 * phase, a statement's samples say whether its time is CPU, I/O, a lightweight lock (the WAL,
 * a buffer) or a heavyweight lock held by another statement (which one).
 *
 * `npm run bench -- inbound --waits` samples the full-load phase; on any database,
 * `node dist/bench/tools/pgWaits.js DATABASE_URL [seconds] [intervalMs]` prints the same
 * summary for that many seconds of whatever runs there.
 */

export type StatementWaits = Readonly<{
  statement: string;
  /** samples that found a backend running it */
  samples: number;
  /** by wait event (`Lock:transactionid`, `LWLock:WALWrite`, …); `CPU` when none */
  events: Readonly<Record<string, number>>;
}>;

export type LockWait = Readonly<{
  /** the waiting statement, the lock (`transactionid ShareLock`, `tuple … on t`) and its holder */
  waiter: string;
  lock: string;
  holder: string;
  samples: number;
}>;

export type WaitSummary = Readonly<{
  intervalMs: number;
  samples: number;
  /** mean busy client backends per sample: the database's concurrency */
  busyBackends: number;
  /** by statement, most sampled first */
  statements: readonly StatementWaits[];
  /** heavyweight lock waits, most sampled first */
  locks: readonly LockWait[];
}>;

export type WaitSampler = Readonly<{ stop(): Promise<WaitSummary> }>;

/** `idle in transaction` is kept: an open transaction holds its locks, and may be the holder */
const SAMPLE = `
  SELECT a.pid, a.state, a.wait_event_type, a.wait_event, left(a.query, 4000) AS query,
         l.locktype, l.mode, l.relation::regclass::text AS relation,
         CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) END AS holders
  FROM pg_stat_activity a
  LEFT JOIN LATERAL (
    SELECT locktype, mode, relation FROM pg_locks
    WHERE pid = a.pid AND NOT granted LIMIT 1) l ON true
  WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
    AND a.backend_type = 'client backend' AND a.state <> 'idle'`;

type Row = {
  pid: number;
  state: string;
  wait_event_type: string | null;
  wait_event: string | null;
  query: string;
  locktype: string | null;
  mode: string | null;
  relation: string | null;
  holders: number[] | null;
};

/**
 * A short name for a statement: the event store's appends by their expected revision (the
 * names `PostgresEventStore` prepares them under), anything else by its first words.
 */
export const statementLabel = (query: string): string => {
  const text = query.replace(/\s+/g, ' ').trim();
  if (/INSERT INTO event_store\.events/.test(text)) {
    const kind = /DO NOTHING/.test(text)
      ? 'no_stream'
      : /DO UPDATE/.test(text)
        ? 'any'
        : /revision = \$[78]::bigint/.test(text)
          ? 'revision'
          : 'stream_exists';
    return `event_store_append_${kind}${/unchanged AS/.test(text) ? '_if_unchanged' : ''}`;
  }
  return text.length <= 80 ? text : `${text.slice(0, 79)}…`;
};

const bump = (counts: Map<string, number>, key: string): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

export const startWaitSampler = async (
  databaseUrl: string,
  intervalMs = 20,
): Promise<WaitSampler> => {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-waits' });
  await client.connect();
  const byStatement = new Map<string, Map<string, number>>();
  const locks = new Map<string, LockWait>();
  let samples = 0;
  let busy = 0;
  let stopped = false;
  const sampling = (async () => {
    while (!stopped) {
      const started = Date.now();
      const { rows } = await client.query<Row>(SAMPLE);
      samples++;
      const labels = new Map(
        rows.map((r) => [
          r.pid,
          r.state === 'active' ? statementLabel(r.query) : `${r.state}: ${statementLabel(r.query)}`,
        ]),
      );
      for (const r of rows) {
        if (r.state !== 'active') continue;
        busy++;
        const label = labels.get(r.pid) as string;
        const events = byStatement.get(label) ?? new Map<string, number>();
        byStatement.set(label, events);
        bump(events, r.wait_event_type === null ? 'CPU' : `${r.wait_event_type}:${r.wait_event}`);
        if (r.wait_event_type !== 'Lock') continue;
        const lock = `${r.locktype ?? '?'} ${r.mode ?? ''}${r.relation === null ? '' : ` on ${r.relation}`}`;
        const holders = (r.holders ?? []).map((pid) => labels.get(pid) ?? 'a backend now idle');
        for (const holder of holders.length === 0 ? ['(none found)'] : holders) {
          const key = `${label}\u0000${lock}\u0000${holder}`;
          const seen = locks.get(key);
          locks.set(key, { waiter: label, lock, holder, samples: (seen?.samples ?? 0) + 1 });
        }
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, intervalMs - (Date.now() - started))),
      );
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await sampling;
      await client.end();
      const statements = [...byStatement]
        .map(([statement, events]) => ({
          statement,
          samples: [...events.values()].reduce((a, b) => a + b, 0),
          events: Object.fromEntries([...events].sort((a, b) => b[1] - a[1])),
        }))
        .sort((a, b) => b.samples - a.samples);
      return {
        intervalMs,
        samples,
        busyBackends: Math.round((busy / Math.max(1, samples)) * 100) / 100,
        statements,
        locks: [...locks.values()].sort((a, b) => b.samples - a.samples),
      };
    },
  };
};

/** The summary as lines of text: each statement's share of the samples and its wait events. */
export const describeWaits = (summary: WaitSummary, top = 10): string[] => {
  const busy = summary.statements.reduce((sum, s) => sum + s.samples, 0);
  const pct = (n: number, of: number): string => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`;
  return [
    `${summary.samples} samples every ${summary.intervalMs} ms, ${summary.busyBackends} busy backends on average`,
    ...summary.statements.slice(0, top).map(
      (s) =>
        `${pct(s.samples, busy)} of busy samples: ${s.statement} — ${Object.entries(s.events)
          .map(([event, n]) => `${event} ${pct(n, s.samples)}`)
          .join(', ')}`,
    ),
    ...summary.locks
      .slice(0, top)
      .map((l) => `lock wait ×${l.samples}: ${l.waiter} waits for ${l.lock}, held by ${l.holder}`),
  ];
};

if (require.main === module) {
  const [url, seconds = '10', interval = '20'] = process.argv.slice(2);
  if (url === undefined) {
    console.error('usage: pgWaits DATABASE_URL [seconds] [intervalMs]');
    process.exit(2);
  }
  void (async () => {
    const sampler = await startWaitSampler(url, Number(interval));
    await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
    for (const line of describeWaits(await sampler.stop(), 15)) console.log(line);
  })();
}
