/**
 * Direct timings of contact search, without HTTP: `node dist/bench/tools/searchTimings.js
 * [contacts] [rounds] [query …]` starts a fresh embedded PostgreSQL, writes `contacts`
 * (100,000) contacts into the contacts read model in bulk (the bench's names, ids, phones and
 * e-mails, bench/seed/contactTables.ts), and prints, per query, the median of five
 * `searchContacts` calls on one connection, `rounds` (3) times over. `EXPLAIN=1` prints the
 * plan of each query's cascade step at `THRESHOLD` (0.4) instead. docs/performance.md quotes these.
 */
import path from 'node:path';
import { createPool } from '../../src/infrastructure/postgres/pool';
import { migrate } from '../../src/infrastructure/postgres/migrations';
import { contactsProjection } from '../../src/projections/contacts/contactsProjection';
import {
  matchDictionary,
  SEARCH,
  searchContacts,
  stepValues,
} from '../../src/projections/contacts/contactSearch';
import { prepareTables } from '../../src/projections/runner/prepareTables';
import { startBenchServer } from '../lib/database';
import { seedContactTables } from '../seed/contactTables';

const QUERIES = [
  'olivia karovinov',
  'Polina Rokavinova',
  'polna barzenov',
  'Rokavinova',
  'emma',
  'shop-user-4567',
  'user4567@',
];

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const main = async (): Promise<void> => {
  const [contactsArg, roundsArg, ...queries] = process.argv.slice(2);
  const contacts = Number(contactsArg ?? 100_000);
  const rounds = Number(roundsArg ?? 3);
  const server = await startBenchServer({ databaseUrl: null, durable: false, statements: false });
  const url = await server.createDatabase('search_timings');
  const pool = createPool({ connectionString: url, max: 2, applicationName: 'search-timings' });
  pool.on('connect', (client) => void client.query('SET statement_timeout = 0'));
  try {
    await migrate(pool);
    await prepareTables(pool, contactsProjection);
    const seeding = performance.now();
    await seedContactTables(pool, '6b077fb6f0941801d9692aff', contacts);
    console.log(`${contacts} contacts in ${Math.round((performance.now() - seeding) / 1000)} s`);
    const list = queries.length > 0 ? queries : QUERIES;
    if (process.env.EXPLAIN === '1') {
      for (const q of list) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const found = await matchDictionary(client, q);
          const threshold = Number(process.env.THRESHOLD ?? 0.4);
          await client.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [
            String(threshold),
          ]);
          const { rows } = await client.query<{ 'QUERY PLAN': string }>(
            `EXPLAIN (ANALYZE, BUFFERS) ${SEARCH}`,
            stepValues(found, threshold, q, { limit: 20, offset: 0 }),
          );
          console.log(`\n${q} at ${threshold}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
        } finally {
          await client.query('ROLLBACK');
          client.release();
        }
      }
      return;
    }
    // SEARCH_MODULES=a.js,b.js: other builds of contactSearch (an older commit's), in turn
    const variants: [string, typeof searchContacts][] = [['this', searchContacts]];
    for (const file of (process.env.SEARCH_MODULES ?? '').split(',').filter(Boolean)) {
      const module = (await import(path.resolve(file))) as {
        searchContacts: typeof searchContacts;
      };
      variants.push([path.basename(file), module.searchContacts]);
    }
    for (let round = 1; round <= rounds; round++) {
      for (const q of list) {
        for (const [name, search] of variants) {
          const times: number[] = [];
          let hits = 0;
          for (let i = 0; i < 5; i++) {
            const started = performance.now();
            hits = (await search(pool, q, { limit: 20, offset: 0 })).items.length;
            times.push(performance.now() - started);
          }
          console.log(
            `round ${round}  ${name.padEnd(16)} ${q.padEnd(20)} ${median(times).toFixed(1)} ms  (${hits} hits)`,
          );
        }
      }
    }
  } finally {
    await pool.end();
    await server.close();
  }
};

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
