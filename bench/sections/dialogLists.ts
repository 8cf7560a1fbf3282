import { createPool } from '../../src/infrastructure/postgres/pool';
import { BENCH_ADMIN_TOKEN } from '../lib/parleyProcess';
import { fullLoad, type LoadResult, type Shot } from '../load/httpLoad';
import { random } from '../load/mix';
import type { BenchContext } from '../lib/context';
import type { LogStage } from './logStage';

export type DialogListsSection = Readonly<{
  status: 'ok';
  dialogs: number;
  /** GET /api/dialogs, a page of 50 with the filters operators use */
  list: LoadResult;
  /** GET /api/dialogs/{id}/messages, a page of 50 */
  messages: LoadResult;
}>;

const CONNECTIONS = 4;

/** What an inbox asks for: its filters, a search by order number, a customer's dialogs. */
const listPaths = (channelId: string, contactIds: readonly string[], dialogs: number): string[] => {
  const rnd = random(31);
  const filters = [
    () => '',
    () => '&status=open',
    () => `&channel_id=${channelId}&status=open`,
    () => '&waiting=true',
    () => '&assigned=false',
    () => `&contact_id=${contactIds[Math.floor(rnd() * contactIds.length)] as string}`,
    () => `&q=${encodeURIComponent(`order ${Math.floor(rnd() * dialogs)}`)}`,
  ];
  return Array.from(
    { length: 2000 },
    (_, i) => `/api/dialogs?limit=50${(filters[i % filters.length] as () => string)()}`,
  );
};

const load = (bench: BenchContext, url: string, paths: readonly string[]) => {
  let i = 0;
  const next = (): Shot => ({
    kind: 'dialogs',
    method: 'GET',
    path: paths[i++ % paths.length] as string,
    headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
  });
  return async (): Promise<LoadResult> => {
    await fullLoad(url, next, { connections: CONNECTIONS, durationS: bench.options.warmupS });
    return fullLoad(url, next, { connections: CONNECTIONS, durationS: bench.options.durationS });
  };
};

/** The dialog list and a dialog's messages over the big log's dialogs. */
export const runDialogLists = async (
  bench: BenchContext,
  stage: LogStage,
): Promise<DialogListsSection> => {
  const pool = createPool({ connectionString: stage.log.databaseUrl, max: 1 });
  let dialogIds: string[];
  let contactIds: string[];
  try {
    const rows = await pool.query<{ dialog_id: string; contact_id: string }>(
      'SELECT dialog_id, contact_id FROM read_model.dialogs ORDER BY dialog_id LIMIT 5000',
    );
    dialogIds = rows.rows.map((r) => r.dialog_id);
    contactIds = rows.rows.map((r) => r.contact_id);
  } finally {
    await pool.end();
  }
  const { dialogs, channelId } = stage.log;
  bench.log(
    `dialogs: ${bench.options.durationS} s of GET /api/dialogs (pages of 50, filters), then of messages, ${CONNECTIONS} connections, ${dialogs} dialogs`,
  );
  const list = await load(bench, stage.parley.url, listPaths(channelId, contactIds, dialogs))();
  const messages = await load(
    bench,
    stage.parley.url,
    dialogIds.map((id) => `/api/dialogs/${id}/messages?limit=50`),
  )();
  return { status: 'ok', dialogs, list, messages };
};
