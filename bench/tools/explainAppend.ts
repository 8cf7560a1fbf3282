import { randomBytes, randomUUID } from 'node:crypto';
import { Client, escapeLiteral } from 'pg';
import { APPEND_SQL } from '../../src/infrastructure/eventstore/postgres/postgresEventStore';

/**
 * `EXPLAIN (ANALYZE, BUFFERS)` of the event store's appends with `unchanged` streams, on a
 * database as a load left it: the statements exactly as `PostgresEventStore` prepares them,
 * with a generic and with a custom plan, each in a transaction that is rolled back. The
 * parameters are the warm inbound message's: a new reference claim (`no_stream`) or a dialog
 * (`revision`), relying on a channel, a contact key claim and a contact taken from the log.
 *
 * `npm run bench -- inbound --waits` runs it after the full-load phase;
 * `node dist/bench/tools/explainAppend.js DATABASE_URL` on any Parley database.
 */

export type AppendPlan = Readonly<{
  statement: string;
  planCacheMode: 'force_generic_plan' | 'force_custom_plan';
  /** median of the runs' `Execution Time` (ms) */
  executionMs: number;
  runs: number;
  /** the plan of the last run */
  plan: string;
}>;

const RUNS = 9;

type Stream = { stream_id: string; revision: string };

const oneOf = async (client: Client, like: string, notLike = '^$'): Promise<Stream> => {
  const { rows } = await client.query<Stream>(
    `SELECT stream_id, revision FROM event_store.streams
     WHERE stream_id LIKE $1 AND stream_id !~ $2 ORDER BY random() LIMIT 1`,
    [like, notLike],
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`explainAppend: no stream like ${like}`);
  return row;
};

/** EXECUTE takes no bind parameters under EXPLAIN: the values as literals, arrays as `'{…}'` */
const literal = (value: unknown): string =>
  Array.isArray(value)
    ? escapeLiteral(
        `{${value.map((v) => `"${String(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`,
      )
    : typeof value === 'number'
      ? String(value)
      : escapeLiteral(String(value));

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export const explainAppends = async (databaseUrl: string): Promise<AppendPlan[]> => {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-explain' });
  await client.connect();
  try {
    const relied = [
      await oneOf(client, 'channel-%'),
      await oneOf(client, 'contact-key-%'),
      await oneOf(client, 'contact-%', '^contact-(key|data)-'),
    ];
    const dialog = await oneOf(client, 'dialog-%', '^dialog-reference-');
    const event = (): unknown[] => [
      1,
      [randomUUID()],
      ['DialogReferenceClaimed'],
      [
        JSON.stringify({
          reference: `avito-chat-${randomBytes(8).toString('hex')}`,
          pad: 'x'.repeat(500),
        }),
      ],
      [JSON.stringify({ correlationId: randomUUID(), causationId: randomUUID() })],
    ];
    const unchanged = [relied.map((s) => s.stream_id), relied.map((s) => s.revision)];
    const cases: [string, string, string, () => unknown[]][] = [
      [
        'event_store_append_no_stream_if_unchanged',
        APPEND_SQL.ifUnchanged.no_stream,
        'text, bigint, uuid[], text[], text[], text[], text[], bigint[]',
        () => [
          `dialog-reference-explain-${randomBytes(16).toString('hex')}`,
          ...event(),
          ...unchanged,
        ],
      ],
      [
        'event_store_append_revision_if_unchanged',
        APPEND_SQL.ifUnchanged.revision,
        'text, bigint, uuid[], text[], text[], text[], bigint, text[], bigint[]',
        () => [dialog.stream_id, ...event(), dialog.revision, ...unchanged],
      ],
    ];
    const plans: AppendPlan[] = [];
    for (const [statement, sql, types, params] of cases) {
      for (const mode of ['force_generic_plan', 'force_custom_plan'] as const) {
        await client.query(`PREPARE explain_append (${types}) AS ${sql}`);
        try {
          const times: number[] = [];
          let plan = '';
          for (let run = 0; run < RUNS; run++) {
            const values = params();
            await client.query('BEGIN');
            try {
              await client.query(`SET LOCAL plan_cache_mode = ${mode}`);
              const { rows } = await client.query<{ 'QUERY PLAN': string }>(
                `EXPLAIN (ANALYZE, BUFFERS) EXECUTE explain_append (${values.map(literal).join(', ')})`,
              );
              plan = rows.map((r) => r['QUERY PLAN']).join('\n');
              const time = /Execution Time: ([\d.]+) ms/.exec(plan);
              if (time !== null) times.push(Number(time[1]));
            } finally {
              await client.query('ROLLBACK');
            }
          }
          plans.push({
            statement,
            planCacheMode: mode,
            executionMs: median(times),
            runs: RUNS,
            plan,
          });
        } finally {
          await client.query('DEALLOCATE explain_append');
        }
      }
    }
    return plans;
  } finally {
    await client.end();
  }
};

if (require.main === module) {
  const [url] = process.argv.slice(2);
  if (url === undefined) {
    console.error('usage: explainAppend DATABASE_URL');
    process.exit(2);
  }
  void explainAppends(url).then((plans) => {
    for (const p of plans)
      console.log(
        `\n${p.statement}, ${p.planCacheMode}: median ${p.executionMs} ms of ${p.runs}\n${p.plan}`,
      );
  });
}
