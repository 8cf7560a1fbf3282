/**
 * Direct timings of the dialog list and a dialog's messages, without HTTP: `node
 * dist/bench/tools/dialogTimings.js [dialogs] [rounds]` starts a fresh embedded PostgreSQL,
 * sets the dialog bench's stage (its log, applied by a Parley's runners: the read models as
 * production builds them) and prints, per filter, the median of 20 `listDialogs` (or
 * `listMessages`) calls on one connection, `rounds` (3) times over. `EXPLAIN=1` prints each
 * one's plan (EXPLAIN (ANALYZE, BUFFERS) of the statement it sent) instead; with `GENERIC=1`,
 * the generic plan a prepared statement settles on (EXPLAIN (GENERIC_PLAN), not run).
 * `DIALOG_MODULES=a.js,b.js`: other builds of dialogQueries.js (an older commit's), in turn;
 * a build's messageQueries.js is taken from beside it. After the rounds it prints how often each
 * statement ran on a generic plan and how often on a custom one (planned again at every run).
 * docs/performance.md quotes these.
 */
import path from 'node:path';
import type { Pool, QueryConfig } from 'pg';
import { createPool } from '../../src/infrastructure/postgres/pool';
import {
  getDialog,
  listDialogs,
  type DialogFilter,
} from '../../src/projections/dialogs/dialogQueries';
import { listMessages } from '../../src/projections/dialogs/messageQueries';
import type { BenchContext } from '../lib/context';
import { startBenchServer } from '../lib/database';
import { preparedPlans } from '../lib/preparedPlans';
import { parseCli } from '../lib/options';
import { startDialogStage } from '../sections/dialogStage';

type Queries = Readonly<{
  getDialog: typeof getDialog;
  listDialogs: typeof listDialogs;
  listMessages: typeof listMessages;
}>;

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** The pool, recording the last statement sent through it (text and values). */
const recording = (pool: Pool): { pool: Pool; last: () => QueryConfig } => {
  let last: QueryConfig = { text: '' };
  const proxy = new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver) as unknown;
      return (text: string | QueryConfig, values?: unknown[]) => {
        last = typeof text === 'string' ? { text, values: values ?? [] } : text;
        return target.query(text as string, values);
      };
    },
  });
  return { pool: proxy, last: () => last };
};

const main = async (): Promise<void> => {
  const [dialogsArg, roundsArg] = process.argv.slice(2);
  const dialogs = Number(dialogsArg ?? 20_000);
  const rounds = Number(roundsArg ?? 3);
  const server = await startBenchServer({ databaseUrl: null, durable: true, statements: false });
  const started = Date.now();
  const bench: BenchContext = {
    server,
    options: {
      ...parseCli([], {}).options,
      dialogs,
      dialogContacts: dialogs,
    },
    log: (line) => console.log(`[${Math.round((Date.now() - started) / 1000)} s] ${line}`),
  };
  const stage = await startDialogStage(bench);
  // the stage's Parley is idle from here on; only this process queries
  const pool = createPool({
    connectionString: stage.databaseUrl,
    max: 1,
    applicationName: 'timings',
  });
  try {
    const one = async <T>(sql: string): Promise<T[]> => (await pool.query(sql)).rows as T[];
    const [contact] = await one<{ contact_id: string }>(
      `SELECT contact_id FROM read_model.dialogs ORDER BY dialog_id LIMIT 1 OFFSET 100`,
    );
    const [operator] = await one<{ operator_id: string }>(
      'SELECT operator_id FROM read_model.operators ORDER BY operator_id LIMIT 1',
    );
    const [dialog] = await one<{ dialog_id: string }>(
      'SELECT dialog_id FROM read_model.dialogs ORDER BY dialog_id LIMIT 1 OFFSET 200',
    );
    const filters: [string, DialogFilter][] = [
      ['none', {}],
      ['status=open', { status: 'open' }],
      ['channel_id + status', { channelId: stage.channelId, status: 'open' }],
      ['waiting', { waiting: true }],
      ['assigned=false', { assigned: false }],
      ['assignee_id + status', { assigneeId: operator?.operator_id ?? '', status: 'open' }],
      ['contact_id', { contactId: contact?.contact_id ?? '' }],
      ['q=order 1234', { search: 'order 1234' }],
    ];
    const cases: [string, (q: Queries, on: Pool) => Promise<unknown>][] = [
      ...filters.map(([name, filter]): [string, (q: Queries, on: Pool) => Promise<unknown>] => [
        `list ${name}`,
        (q, on) => q.listDialogs(on, filter, { limit: 50, after: null }),
      ]),
      [
        'dialog (the messages route reads it first)',
        (q, on) => q.getDialog(on, dialog?.dialog_id ?? ''),
      ],
      [
        'messages',
        (q, on) => q.listMessages(on, dialog?.dialog_id ?? '', { limit: 50, after: null }),
      ],
    ];
    const ours: Queries = { getDialog, listDialogs, listMessages };
    if (process.env.EXPLAIN === '1') {
      const recorder = recording(pool);
      for (const [name, run] of cases) {
        await run(ours, recorder.pool);
        const { text, values } = recorder.last();
        // GENERIC=1: the plan a prepared statement gets once PostgreSQL settles on a generic one
        const options = process.env.GENERIC === '1' ? 'GENERIC_PLAN' : 'ANALYZE, BUFFERS';
        const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (${options}) ${text}`,
          process.env.GENERIC === '1' ? [] : values,
        );
        console.log(`\n${name}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      }
      return;
    }
    const variants: [string, Queries][] = [['this', ours]];
    for (const file of (process.env.DIALOG_MODULES ?? '').split(',').filter(Boolean)) {
      const list = (await import(path.resolve(file))) as Pick<Queries, 'listDialogs' | 'getDialog'>;
      const messages = (await import(
        path.join(path.dirname(path.resolve(file)), 'messageQueries.js')
      )) as Pick<Queries, 'listMessages'>;
      variants.push([path.dirname(file), { ...list, ...messages }]);
    }
    for (let round = 1; round <= rounds; round++) {
      for (const [name, run] of cases) {
        for (const [variant, queries] of variants) {
          const times: number[] = [];
          for (let i = 0; i < 20; i++) {
            const t0 = performance.now();
            await run(queries, pool);
            times.push(performance.now() - t0);
          }
          console.log(
            `round ${round}  ${variant.padEnd(24)} ${name.padEnd(28)} ${median(times).toFixed(2)} ms`,
          );
        }
      }
    }
    for (const line of await preparedPlans(pool)) console.log(line);
  } finally {
    await pool.end();
    await stage.stop();
    await server.close();
  }
};

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
