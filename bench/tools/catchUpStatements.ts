/**
 * Where a catch-up's PostgreSQL time goes: `node dist/bench/tools/catchUpStatements.js
 * [contacts]` seeds the projections section's log (100,000 contacts by default), starts a
 * Parley on it with pg_stat_statements loaded, waits until every consumer is at the head, and
 * prints each consumer's arrival, Parley's and PostgreSQL's CPU seconds and the statements
 * that took the most time (total, calls, rows, mean). `KEEP=1` seeds, prints the database's
 * address and waits for Ctrl-C instead; `PROFILE=file.cpuprofile` writes Parley's CPU profile
 * of the catch-up (read it with cpuprofileTop.js). docs/performance.md quotes it.
 */
import { Client } from 'pg';
import { postgresCpuMs, processCpuMs, startCpuMeter } from '../lib/cpu';
import { startBenchServer } from '../lib/database';
import { parseCli } from '../lib/options';
import { startParleyProcess } from '../lib/parleyProcess';
import { seedBigLog } from '../sections/eventLog';
import { waitForProjections } from '../sections/lagProbe';

const main = async (): Promise<void> => {
  const contacts = Number(process.argv[2] ?? 100_000);
  const server = await startBenchServer({ databaseUrl: null, durable: true, statements: true });
  const started = Date.now();
  const log = (line: string): void =>
    console.log(`[${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s] ${line}`);
  try {
    const options = { ...parseCli([], process.env).options, searchContacts: contacts };
    const seeded = await seedBigLog({ server, options, log });
    const admin = new Client({ connectionString: seeded.databaseUrl });
    await admin.connect();
    await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await admin.query('SELECT pg_stat_statements_reset()');
    if (process.env.KEEP === '1') {
      // for experiments on the log (npm run projections -- rebuild …): the address, then wait
      log(`${seeded.events} events; DATABASE_URL=${seeded.databaseUrl} (Ctrl-C ends)`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      return;
    }
    log(`${seeded.events} events; Parley catches up`);
    const parley = await startParleyProcess({
      databaseUrl: seeded.databaseUrl,
      poolSize: options.poolSize,
    });
    const profile = process.env.PROFILE;
    if (profile !== undefined) await parley.profile('start');
    const postgresCpu = postgresCpuMs(server.clusterDir);
    const cpu = startCpuMeter({ parley: () => processCpuMs(parley.pid), postgres: postgresCpu });
    let arrivals: ReadonlyMap<string, number> = new Map();
    const ms = await waitForProjections(seeded.databaseUrl, 30 * 60_000, (_h, _o, arrived) => {
      arrivals = new Map(arrived);
      postgresCpu();
    });
    const used = cpu.stop();
    if (profile !== undefined) await parley.profile('stop', profile);
    log(
      `all at the head after ${(ms / 1000).toFixed(1)} s: ${Math.round(seeded.events / (ms / 1000))} events/s; ` +
        `CPU s Parley ${((used.parley ?? 0) / 1000).toFixed(1)}, PostgreSQL ${((used.postgres ?? 0) / 1000).toFixed(1)}`,
    );
    for (const [name, at] of arrivals) log(`  ${name}: ${(at / 1000).toFixed(1)} s`);
    const { rows } = await admin.query<{
      total: number;
      calls: string;
      rows: string;
      mean: number;
      query: string;
    }>(
      `SELECT round(total_exec_time + total_plan_time) AS total, calls, rows,
              round((mean_exec_time)::numeric, 3) AS mean, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
         FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 25`,
    );
    for (const row of rows)
      console.log(
        `${String(row.total).padStart(8)} ms ${row.calls.padStart(7)} calls ${row.rows.padStart(8)} rows ${row.mean} | ${row.query}`,
      );
    await admin.end();
    await parley.stop();
  } finally {
    await server.close();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
