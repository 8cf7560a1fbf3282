import path from 'node:path';
import { createPool } from '../../src/infrastructure/postgres/pool';
import { BENCH_ADMIN_TOKEN } from '../lib/parleyProcess';
import { fullLoad, type LoadResult, type Shot } from '../load/httpLoad';
import { random } from '../load/mix';
import type { BenchContext } from '../lib/context';
import { perUnit, requestCpuMeter, type CpuShare } from '../lib/cpu';
import type { DialogStage } from './dialogStage';

export type DialogListsSection = Readonly<{
  status: 'ok';
  dialogs: number;
  /** the stage: its log, how long writing it and Parley's catch-up on it took */
  seeding: Readonly<{
    contacts: number;
    operators: number;
    events: number;
    seedSeconds: number;
    catchUpSeconds: number;
  }>;
  /** GET /api/dialogs, a page of 50 with the filters operators use */
  list: LoadResult;
  /** GET /api/dialogs/{id}/messages, a page of 50 */
  messages: LoadResult;
  /** CPU ms per request while loaded: Parley, PostgreSQL and the load generator */
  cpuMsPerRequest: Readonly<{ list: CpuShare; messages: CpuShare }>;
}>;

const CONNECTIONS = 4;

/**
 * What an inbox asks for: its filters, an operator's open dialogs, a search by order number, a
 * customer's dialogs.
 */
const listPaths = (
  channelId: string,
  contactIds: readonly string[],
  operatorIds: readonly string[],
  dialogs: number,
): string[] => {
  const rnd = random(31);
  const pick = (ids: readonly string[]): string => ids[Math.floor(rnd() * ids.length)] as string;
  const filters = [
    () => '',
    () => '&status=open',
    () => `&channel_id=${channelId}&status=open`,
    () => '&waiting=true',
    () => '&assigned=false',
    () => `&assignee_id=${pick(operatorIds)}&status=open`,
    () => `&contact_id=${pick(contactIds)}`,
    () => `&q=${encodeURIComponent(`order ${Math.floor(rnd() * dialogs)}`)}`,
  ];
  return Array.from(
    { length: 2000 },
    (_, i) => `/api/dialogs?limit=50${(filters[i % filters.length] as () => string)()}`,
  );
};

/** `label`: the name of the CPU profile of the measured phase (`--profile DIR`) */
const load = (
  bench: BenchContext,
  parley: DialogStage['parley'],
  paths: readonly string[],
  label: string,
) => {
  const { url } = parley;
  let i = 0;
  const next = (): Shot => ({
    kind: 'dialogs',
    method: 'GET',
    path: paths[i++ % paths.length] as string,
    headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
  });
  return async (): Promise<Readonly<{ result: LoadResult; cpu: CpuShare }>> => {
    await fullLoad(url, next, { connections: CONNECTIONS, durationS: bench.options.warmupS });
    const { profileDir } = bench.options;
    if (profileDir !== null) await parley.profile('start');
    const cpu = requestCpuMeter(parley.pid, bench.server.clusterDir);
    const result = await fullLoad(url, next, {
      connections: CONNECTIONS,
      durationS: bench.options.durationS,
    });
    const used = cpu.stop();
    if (profileDir !== null) {
      const file = path.join(profileDir, `dialogs-${label}.cpuprofile`);
      await parley.profile('stop', file);
      bench.log(`CPU profile of the ${label} phase: ${file}`);
    }
    return { result, cpu: perUnit(used, result.ok) };
  };
};

/** The dialog list and a dialog's messages over the dialog stage's dialogs. */
export const runDialogLists = async (
  bench: BenchContext,
  stage: DialogStage,
): Promise<DialogListsSection> => {
  const pool = createPool({ connectionString: stage.databaseUrl, max: 1 });
  let dialogIds: string[];
  let contactIds: string[];
  let operatorIds: string[];
  try {
    const rows = await pool.query<{ dialog_id: string; contact_id: string }>(
      'SELECT dialog_id, contact_id FROM read_model.dialogs ORDER BY dialog_id LIMIT 5000',
    );
    dialogIds = rows.rows.map((r) => r.dialog_id);
    contactIds = rows.rows.map((r) => r.contact_id);
    const operators = await pool.query<{ operator_id: string }>(
      'SELECT operator_id FROM read_model.operators ORDER BY operator_id',
    );
    operatorIds = operators.rows.map((r) => r.operator_id);
  } finally {
    await pool.end();
  }
  const { dialogs, channelId, parley } = stage;
  bench.log(
    `dialogs: ${bench.options.durationS} s of GET /api/dialogs (pages of 50, filters), then of messages, ${CONNECTIONS} connections, ${dialogs} dialogs`,
  );
  const list = await load(
    bench,
    parley,
    listPaths(channelId, contactIds, operatorIds, dialogs),
    'list',
  )();
  const messages = await load(
    bench,
    parley,
    dialogIds.map((id) => `/api/dialogs/${id}/messages?limit=50`),
    'messages',
  )();
  const { contacts, operators, events, seedSeconds, catchUpSeconds } = stage;
  return {
    status: 'ok',
    dialogs,
    seeding: { contacts, operators, events, seedSeconds, catchUpSeconds },
    list: list.result,
    messages: messages.result,
    cpuMsPerRequest: { list: list.cpu, messages: messages.cpu },
  };
};
