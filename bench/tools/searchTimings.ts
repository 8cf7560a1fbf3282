/**
 * Direct timings of contact search, without HTTP: `node dist/bench/tools/searchTimings.js
 * [contacts] [rounds] [query …]` starts a fresh embedded PostgreSQL, writes `contacts`
 * (100,000) contacts into the contacts read model in bulk (the bench's names, ids, phones and
 * e-mails, bench/seed/contactTables.ts), and prints, per query, the median of five
 * `searchContacts` calls on one connection, `rounds` (3) times over. `EXPLAIN=1` prints the
 * plans of each query's dictionary match and of its cascade step at `THRESHOLD` (0.4) instead
 * (`GENERIC=1`: the generic plans a named statement settles on after five runs). `PHASES=1`
 * adds each statement's time to the median call's line. `MIX=n` times the first n queries of
 * the bench's own mix instead, each once per round (a round of warm-up first), and prints
 * p50 / p95 / p99 overall and the p95 of each kind of query (`LIMIT`: the page, 20; the HTTP
 * default is 50), then how often a connection's statements ran on generic and on custom plans;
 * with `COMPARE=1`, whether each build's first 10 hits of each query are the first build's
 * instead (SEARCH_MODULES). `KEEP=1` seeds, prints the database's address and waits for Ctrl-C
 * (for psql). docs/performance.md quotes these.
 */
import path from 'node:path';
import type { ClientBase, PoolClient } from 'pg';
import { createPool } from '../../src/infrastructure/postgres/pool';
import { migrate } from '../../src/infrastructure/postgres/migrations';
import { contactsProjection } from '../../src/projections/contacts/contactsProjection';
import {
  DICTIONARY,
  matchDictionary,
  SEARCH,
  searchContacts,
  stepValues,
} from '../../src/projections/contacts/contactSearch';
import { prepareTables } from '../../src/projections/runner/prepareTables';
import { startBenchServer } from '../lib/database';
import { preparedPlans } from '../lib/preparedPlans';
import { seedContactTables } from '../seed/contactTables';
import { searchQueries } from '../sections/search';

const QUERIES = [
  'olivia karovinov',
  'Polina Rokavinova',
  'polna barzenov',
  'Rokavinova',
  'emma',
  'shop-user-4567',
  'user4567@',
];

const quantile = (values: number[], q: number): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length * q)] ?? NaN;
const median = (values: number[]): number => quantile(values, 0.5);

/** the bench's kinds of query, in the order of its mix (bench/sections/search.ts) */
const KINDS = ['full name', 'misspelt name', 'family name', 'phone part', 'id', 'e-mail'];

/** SEARCH's and DICTIONARY's parameter types, in order, for PREPARE */
const TYPES = {
  DICTIONARY: 'text, int, text[], int8[], int8',
  SEARCH: 'text[], int, int, int[], text[], float8[], int, int, boolean',
} as const;

/**
 * EXPLAIN (ANALYZE, BUFFERS) of `sql`: as an unnamed statement (a custom plan for these
 * values) or, `generic`, as a named one does after its first five runs when PostgreSQL finds
 * the generic plan no dearer (plan_cache_mode force_generic_plan, the values as literals).
 */
const explain = async (
  client: ClientBase,
  label: keyof typeof TYPES,
  sql: string,
  values: unknown[],
  generic: boolean,
): Promise<string> => {
  const plan = async (text: string, args: unknown[] = []): Promise<string> =>
    (await client.query<{ 'QUERY PLAN': string }>(text, args)).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
  if (!generic) return plan(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values);
  const literal = (v: unknown): string =>
    Array.isArray(v)
      ? client.escapeLiteral(
          `{${v.map((x) => (typeof x === 'string' ? `"${x.replace(/["\\]/g, '\\$&')}"` : String(x))).join(',')}}`,
        )
      : v === null
        ? 'NULL'
        : client.escapeLiteral(String(v));
  await client.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
  await client.query(`PREPARE timed_${label} (${TYPES[label]}) AS ${sql}`);
  try {
    return await plan(
      `EXPLAIN (ANALYZE, BUFFERS) EXECUTE timed_${label} (${values.map(literal).join(', ')})`,
    );
  } finally {
    await client.query(`DEALLOCATE timed_${label}`);
  }
};

/** PHASES=1: each statement's milliseconds on the pool's connections, by statement name */
const timedStatements: string[] = [];
const timeStatements = (client: PoolClient): void => {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as unknown as { query: typeof query }).query = (...args: unknown[]) => {
    // the pool's own queries pass a callback: not ours to time
    if (typeof args[args.length - 1] === 'function') return query(...args);
    const started = performance.now();
    const config = args[0] as { name?: string } | string;
    const name = typeof config === 'string' ? config.trim().split(/\s+/)[0] : config.name;
    const done = query(...args);
    void done.then(
      () => timedStatements.push(`${name ?? '?'} ${(performance.now() - started).toFixed(1)}`),
      () => undefined,
    );
    return done;
  };
};

const main = async (): Promise<void> => {
  const [contactsArg, roundsArg, ...queries] = process.argv.slice(2);
  const contacts = Number(contactsArg ?? 100_000);
  const rounds = Number(roundsArg ?? 3);
  const server = await startBenchServer({ databaseUrl: null, durable: false, statements: false });
  const url = await server.createDatabase('search_timings');
  const pool = createPool({ connectionString: url, max: 2, applicationName: 'search-timings' });
  pool.on('connect', (client) => {
    void client.query('SET statement_timeout = 0');
    if (process.env.PHASES === '1') timeStatements(client);
  });
  try {
    await migrate(pool);
    await prepareTables(pool, contactsProjection);
    const seeding = performance.now();
    await seedContactTables(pool, '6b077fb6f0941801d9692aff', contacts);
    console.log(`${contacts} contacts in ${Math.round((performance.now() - seeding) / 1000)} s`);
    const list = queries.length > 0 ? queries : QUERIES;
    if (process.env.KEEP === '1') {
      console.log(`DATABASE_URL=${url}  (Ctrl-C stops the server)`);
      await new Promise((resolve) => process.once('SIGINT', resolve));
      return;
    }
    if (process.env.EXPLAIN === '1') {
      for (const q of list) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const generic = process.env.GENERIC === '1';
          const page = { limit: 20, offset: 0 };
          const found = await matchDictionary(client, q, page);
          const dictionary = await explain(
            client,
            'DICTIONARY',
            DICTIONARY,
            // nothing remembered: the whole dictionary matched
            [q, 21, [], [], null],
            generic,
          );
          console.log(`\n${q}: the dictionary\n${dictionary}`);
          const threshold = Number(process.env.THRESHOLD ?? 0.4);
          await client.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [
            String(threshold),
          ]);
          const values = stepValues(found, threshold, page);
          const step = await explain(client, 'SEARCH', SEARCH, values, generic);
          console.log(`\n${q} at ${threshold}\n${step}`);
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
    const mix = Number(process.env.MIX ?? 0);
    const limit = Number(process.env.LIMIT ?? 20);
    if (mix > 0 && process.env.COMPARE === '1') {
      // each variant's first 10 against the first variant's, query by query: what a change
      // of search does to the answers at this size, beside the 30 queries of the quality spec
      const mixed = searchQueries(contacts, mix);
      const [first, ...others] = variants;
      if (first === undefined) return;
      for (const [name, search] of others) {
        let same = 0;
        let kept = 0;
        let expected = 0;
        const changed: string[] = [];
        for (const [i, q] of mixed.entries()) {
          const top = async (s: typeof searchContacts) =>
            (await s(pool, q, { limit, offset: 0 })).items.slice(0, 10).map((c) => c.contactId);
          const [a, b] = [await top(first[1]), await top(search)];
          expected += a.length;
          kept += a.filter((id) => b.includes(id)).length;
          if (a.join() === b.join()) same++;
          else if (changed.length < 10) changed.push(`${KINDS[i % 6] ?? '?'} "${q}"`);
        }
        console.log(
          `${name}: first 10 the same as ${first[0]}'s for ${same} of ${mixed.length} queries; ` +
            `${kept} of ${expected} of its hits kept` +
            (changed.length > 0 ? `; differing: ${changed.join(', ')}` : ''),
        );
      }
      return;
    }
    if (mix > 0) {
      const mixed = searchQueries(contacts, mix);
      for (let round = 0; round <= rounds; round++) {
        // the variants' order turns every round: neither always runs on the warmer cache
        for (const [name, search] of round % 2 === 0 ? [...variants].reverse() : variants) {
          const times: number[] = [];
          for (const q of mixed) {
            const started = performance.now();
            await search(pool, q, { limit, offset: 0 });
            times.push(performance.now() - started);
          }
          if (round === 0) continue; // warm-up: every statement prepared, the pages cached
          const ms = (v: number) => v.toFixed(1);
          const kinds = KINDS.map(
            (kind, k) =>
              `${kind} ${ms(
                quantile(
                  times.filter((_, i) => i % 6 === k),
                  0.95,
                ),
              )}`,
          );
          console.log(
            `round ${round}  ${name.padEnd(16)} ${mix} queries: p50 / p95 / p99 ${ms(median(times))} / ` +
              `${ms(quantile(times, 0.95))} / ${ms(quantile(times, 0.99))} ms; p95 ${kinds.join(', ')}`,
          );
        }
      }
      for (const line of await preparedPlans(pool)) console.log(line);
      return;
    }
    for (let round = 1; round <= rounds; round++) {
      for (const q of list) {
        for (const [name, search] of variants) {
          const times: number[] = [];
          const statements: string[][] = [];
          let hits = 0;
          for (let i = 0; i < 5; i++) {
            timedStatements.length = 0;
            const started = performance.now();
            hits = (await search(pool, q, { limit: 20, offset: 0 })).items.length;
            times.push(performance.now() - started);
            statements.push([...timedStatements]);
          }
          const middle = times.indexOf(median(times));
          const phases = process.env.PHASES === '1' ? `  [${statements[middle]?.join(', ')}]` : '';
          console.log(
            `round ${round}  ${name.padEnd(16)} ${q.padEnd(20)} ${median(times).toFixed(1)} ms  (${hits} hits)${phases}`,
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
