import type { DialogSnapshot } from '../../application/audit/dialogAsOf';
import type { Pool } from 'pg';
import { statementNamer } from '../statementNames';
import { onConnection } from '../transaction';
import { DIALOG_TEXT } from './dialogsProjection';

export type DialogStatusFilter = 'open' | 'closed';

/** The latest message by arrival, as a dialog list shows it. */
export type LastMessageView = Readonly<{
  messageId: string;
  direction: 'incoming' | 'outgoing';
  preview: string;
  /** the sender of an incoming message, as recorded */
  contactId: string | null;
  /** the operator who wrote an outgoing message */
  operatorId: string | null;
  /** the sender's name today (contact or operator); null when that read model has none */
  authorName: string | null;
  at: Date;
}>;

/** A dialog as the list and the dialog read serve it: the snapshot's fields, and what joins add. */
export type DialogView = DialogSnapshot &
  Readonly<{
    /** from the channels, contacts and operators read models, as they are now */
    channelName: string | null;
    contactName: string | null;
    assigneeName: string | null;
    lastMessage: LastMessageView | null;
    /** open and the customer wrote last: since when they wait for an answer */
    waitingSince: Date | null;
  }>;

export type DialogFilter = Readonly<{
  channelId?: string;
  status?: DialogStatusFilter;
  reference?: string;
  /** a merged contact's id finds its survivor's dialogs */
  contactId?: string;
  assigneeId?: string;
  /** false: only unassigned dialogs; true: only assigned ones */
  assigned?: boolean;
  /** true: only open dialogs whose last message is the customer's */
  waiting?: boolean;
  /** text in the title, reference, last message, contact name or any contact data value */
  search?: string;
  updatedSince?: Date;
}>;

/** Keyset position: dialogs come most recently updated first. */
export type DialogPosition = Readonly<{ updatedAt: Date; dialogId: string }>;

export type Slice<T> = Readonly<{ items: readonly T[]; more: boolean }>;

type Row = {
  dialog_id: string;
  channel_id: string;
  channel_name: string | null;
  contact_name: string | null;
  assignee_name: string | null;
  last_message_id: string | null;
  last_message_direction: 'incoming' | 'outgoing' | null;
  last_message_preview: string | null;
  last_message_contact_id: string | null;
  last_message_operator_id: string | null;
  last_message_author: string | null;
  reference: string | null;
  title: string | null;
  status: DialogStatusFilter;
  assignee_id: string | null;
  contact_id: string;
  messages_in: number;
  messages_out: number;
  first_message_at: Date | null;
  last_message_at: Date | null;
  first_response_at: Date | null;
  first_response_seconds: number | null;
  integration_data: string | null;
  opened_at: Date;
  updated_at: Date;
  closed_at: Date | null;
};

const COLUMNS = `d.dialog_id, d.channel_id, d.reference, d.title, d.status, d.assignee_id,
  d.contact_id, d.messages_in, d.messages_out, d.first_message_at, d.last_message_at,
  d.first_response_at, d.first_response_seconds, d.integration_data, d.opened_at, d.updated_at,
  d.closed_at, d.last_message_id, d.last_message_direction, d.last_message_preview,
  d.last_message_contact_id, d.last_message_operator_id,
  ch.name AS channel_name, c.name AS contact_name, a.name AS assignee_name,
  CASE d.last_message_direction
    WHEN 'incoming' THEN (SELECT s.name FROM read_model.contacts s
                          WHERE s.contact_id = d.last_message_contact_id)
    ELSE (SELECT o.name FROM read_model.operators o WHERE o.operator_id = d.last_message_operator_id)
  END AS last_message_author`;

/** The names a dialog list shows, joined from the other read models as they are now. */
const FROM = `read_model.dialogs d
  LEFT JOIN read_model.channels ch ON ch.channel_id = d.channel_id
  LEFT JOIN read_model.contacts c ON c.contact_id = d.contact_id
  LEFT JOIN read_model.operators a ON a.operator_id = d.assignee_id`;

const lastMessageOf = (row: Row): LastMessageView | null =>
  row.last_message_id === null ||
  row.last_message_direction === null ||
  row.last_message_at === null
    ? null
    : {
        messageId: row.last_message_id,
        direction: row.last_message_direction,
        preview: row.last_message_preview ?? '',
        contactId: row.last_message_contact_id,
        operatorId: row.last_message_operator_id,
        authorName: row.last_message_author,
        at: row.last_message_at,
      };

/** `%text%` for LIKE over lower-cased columns, the text's own % and _ taken literally. */
const containing = (text: string): string =>
  `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const toView = (row: Row): DialogView => ({
  dialogId: row.dialog_id,
  channelId: row.channel_id,
  channelName: row.channel_name,
  contactName: row.contact_name,
  assigneeName: row.assignee_name,
  lastMessage: lastMessageOf(row),
  waitingSince:
    row.status === 'open' && row.last_message_direction === 'incoming' ? row.last_message_at : null,
  reference: row.reference,
  title: row.title,
  status: row.status,
  assigneeId: row.assignee_id,
  contactId: row.contact_id,
  messagesIn: row.messages_in,
  messagesOut: row.messages_out,
  firstMessageAt: row.first_message_at,
  lastMessageAt: row.last_message_at,
  firstResponseAt: row.first_response_at,
  firstResponseSeconds: row.first_response_seconds,
  integrationData: row.integration_data,
  openedAt: row.opened_at,
  updatedAt: row.updated_at,
  closedAt: row.closed_at,
});

export const getDialog = async (pool: Pool, dialogId: string): Promise<DialogView | null> => {
  const result = await pool.query<Row>({
    name: 'dialog-by-id',
    text: `SELECT ${COLUMNS} FROM ${FROM} WHERE d.dialog_id = $1`,
    values: [dialogId],
  });
  const row = result.rows[0];
  return row === undefined ? null : toView(row);
};

/**
 * The WHERE clause of a page and its values, naming only the filters given: each combination
 * is a statement of its own whose plan uses the index for its filters (a generic plan of one
 * statement with every filter as `$n IS NULL OR …` could use none).
 */
const pageConditions = (
  filter: DialogFilter,
  after: DialogPosition | null,
  values: unknown[] = [],
): Readonly<{ where: string; values: unknown[] }> => {
  const param = (value: unknown, cast = ''): string => {
    values.push(value);
    return `$${values.length}${cast}`;
  };
  const conditions: string[] = [];
  if (filter.channelId !== undefined) conditions.push(`d.channel_id = ${param(filter.channelId)}`);
  if (filter.status !== undefined) conditions.push(`d.status = ${param(filter.status)}`);
  if (filter.reference !== undefined) conditions.push(`d.reference = ${param(filter.reference)}`);
  if (filter.contactId !== undefined) {
    const contact = param(filter.contactId, '::text');
    conditions.push(`d.contact_id = coalesce(
      (SELECT a.survivor_id FROM read_model.dialog_contact_aliases a WHERE a.merged_id = ${contact}),
      ${contact})`);
  }
  if (filter.assigneeId !== undefined)
    conditions.push(`d.assignee_id = ${param(filter.assigneeId)}`);
  if (filter.updatedSince !== undefined)
    conditions.push(`d.updated_at >= ${param(filter.updatedSince, '::timestamptz')}`);
  if (after !== null)
    conditions.push(
      `(d.updated_at, d.dialog_id) < (${param(after.updatedAt, '::timestamptz')}, ${param(after.dialogId, '::text')})`,
    );
  if (filter.assigned !== undefined)
    conditions.push(filter.assigned ? 'd.assignee_id IS NOT NULL' : 'd.assignee_id IS NULL');
  // NOT keeps a dialog whose direction is null out of both, as `… = false` did
  if (filter.waiting !== undefined)
    conditions.push(
      `${filter.waiting ? '' : 'NOT '}(d.status = 'open' AND d.last_message_direction = 'incoming')`,
    );
  if (filter.search !== undefined) {
    const text = param(containing(filter.search), '::text');
    // each by its trigram index, then the page in list order among the few found
    conditions.push(`d.dialog_id IN (
      SELECT t.dialog_id FROM read_model.dialogs t WHERE ${DIALOG_TEXT} LIKE ${text}
      UNION
      SELECT t.dialog_id FROM read_model.contacts tc
      JOIN read_model.dialogs t ON t.contact_id = tc.contact_id
      WHERE tc.search_text LIKE ${text}
      UNION
      SELECT t.dialog_id FROM read_model.contact_data cd
      JOIN read_model.dialogs t ON t.contact_id = cd.contact_id
      WHERE cd.value_search LIKE ${text})`);
  }
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join('\n  AND ')}`, values };
};

/** one statement per combination of filters given: a bounded set */
const named = statementNamer('dialog-list');

/**
 * The rows a page reads, written into the statement: a page and one more, rounded up to one
 * of a few sizes. With `LIMIT $n` PostgreSQL never settled on a generic plan (it costs a
 * limit it cannot see as a tenth of the table), so it planned the statement again at every
 * run, about as long as running it (docs/performance.md); a handful of sizes keeps the
 * statements per combination of filters bounded.
 */
const ROWS_READ = [11, 21, 26, 51, 101, 201] as const;
export const rowsRead = (limit: number): number =>
  ROWS_READ.find((rows) => rows > limit) ?? Math.max(1, Math.floor(limit)) + 1;

/** The rows of the page by the statement with every filter, the text's by its indexes. */
const byIndexes = async (
  pool: Pool,
  filter: DialogFilter,
  after: DialogPosition | null,
  rows: number,
): Promise<Row[]> => {
  const { where, values } = pageConditions(filter, after);
  const text = `SELECT ${COLUMNS} FROM ${FROM}
    ${where}
    ORDER BY d.updated_at DESC, d.dialog_id DESC
    LIMIT ${rows}`;
  const statement = { name: named(text), text, values };
  if (filter.search === undefined) return (await pool.query<Row>(statement)).rows;
  // PostgreSQL prices `LIKE $n` at a fixed share of each table, so it planned the text's
  // statement again at every page (2–5 ms, more than running it), for a plan of the same
  // shape as the generic one, which runs faster: the texts many dialogs hold, for which a
  // custom plan could differ, are the windows' (docs/performance.md)
  return onConnection(pool, async (db, discard) => {
    await db.query(`SET plan_cache_mode = force_generic_plan`);
    try {
      return (await db.query<Row>(statement)).rows;
    } finally {
      // a session left forcing generic plans must not go back to the pool
      await db.query(`RESET plan_cache_mode`).catch(discard);
    }
  });
};

/** the text filter as a test of one dialog `w` (its text, its contact_id) */
const textTest = (text: string): string => `(w.text LIKE ${text}
     OR EXISTS (SELECT 1 FROM read_model.contacts tc
                WHERE tc.contact_id = w.contact_id AND tc.search_text LIKE ${text} OFFSET 0)
     OR EXISTS (SELECT 1 FROM read_model.contact_data cd
                WHERE cd.contact_id = w.contact_id AND cd.value_search LIKE ${text} OFFSET 0))`;

type WindowRow = Row & {
  examined: number;
  window_end_at: Date | null;
  window_end_id: string | null;
};

type Window = Readonly<{
  /** the window's dialogs that hold the text, in list order, `rows` at most */
  hits: readonly Row[];
  /** the window held fewer dialogs than asked: the list ends within it */
  lastOfList: boolean;
  /** the window's last dialog: where the next window starts */
  end: DialogPosition | null;
}>;

/**
 * The next `size` dialogs of the list (every filter but the text, after `from`), and those of
 * them that hold the text, in list order. Each is tested by its own row and a lookup of its
 * contact (OFFSET 0: the planner would otherwise hash every contact that holds the text), so
 * the cost is the window's, however many dialogs hold the text.
 */
const readWindow = async (
  pool: Pool,
  filter: DialogFilter,
  after: DialogPosition | null,
  from: DialogPosition | null,
  size: number,
  rows: number,
): Promise<Window> => {
  const { search, ...others } = filter;
  const values: unknown[] = [containing(search ?? '')];
  const { where } = pageConditions(others, after, values);
  const windowFrom =
    from === null
      ? ''
      : `${where === '' ? 'WHERE' : 'AND'} (d.updated_at, d.dialog_id) < ($${values.push(from.updatedAt)}::timestamptz, $${values.push(from.dialogId)}::text)`;
  const text = `WITH w AS MATERIALIZED (
      SELECT d.dialog_id, d.updated_at, d.contact_id, ${DIALOG_TEXT} AS text
      FROM read_model.dialogs d
      ${where} ${windowFrom}
      ORDER BY d.updated_at DESC, d.dialog_id DESC
      LIMIT ${size}),
    hits AS MATERIALIZED (
      SELECT w.dialog_id FROM w WHERE ${textTest('$1::text')}
      ORDER BY w.updated_at DESC, w.dialog_id DESC
      LIMIT ${rows}),
    examined AS (SELECT count(*)::int AS examined FROM w),
    window_end AS (
      SELECT w.updated_at AS window_end_at, w.dialog_id AS window_end_id FROM w
      ORDER BY w.updated_at, w.dialog_id LIMIT 1)
    SELECT p.*, examined.examined, window_end.window_end_at, window_end.window_end_id
    FROM examined LEFT JOIN window_end ON true
    LEFT JOIN LATERAL (
      SELECT ${COLUMNS} FROM ${FROM} WHERE d.dialog_id IN (SELECT h.dialog_id FROM hits h)
    ) p ON true
    ORDER BY p.updated_at DESC, p.dialog_id DESC`;
  const result = await pool.query<WindowRow>({ name: named(text), text, values });
  const first = result.rows[0];
  const endAt = first?.window_end_at ?? null;
  const endId = first?.window_end_id ?? null;
  return {
    // no hit: the one row the left joins still make
    hits: result.rows.filter((r) => r.dialog_id !== null),
    lastOfList: (first?.examined ?? 0) < size,
    end: endAt === null || endId === null ? null : { updatedAt: endAt, dialogId: endId },
  };
};

/**
 * How the text filter's page was found (docs/performance.md): by reading the list in order and
 * testing each dialog, while the text is found often enough for that to be the cheaper way,
 * else by the trigram indexes of each table the text may be in. By the indexes, a text that
 * many dialogs hold ("a", "or", a word of every reference) read every one of them to take the
 * first page's few: 0.2–0.5 s a page at 20,000 dialogs.
 */
export type TextPageTier = 'first window' | 'second window' | 'indexes';

/** the second window, in pages: the reading in order stops there */
const SECOND_WINDOW = 20;
/** the first window's hits below which the text is rare enough for its indexes */
const DENSE_ENOUGH = 1 / 10;

/**
 * The page's rows for a text filter: the first `rows` dialogs in list order among those that
 * pass every filter. Each tier answers exactly that or hands over to the next: a window
 * answers when it holds `rows` hits or the list ends within it; the indexes always answer.
 */
export const textPage = async (
  pool: Pool,
  filter: DialogFilter,
  after: DialogPosition | null,
  rows: number,
): Promise<Readonly<{ rows: readonly Row[]; tier: TextPageTier }>> => {
  const first = await readWindow(pool, filter, after, null, rows, rows);
  if (first.hits.length >= rows || first.lastOfList)
    return { rows: first.hits, tier: 'first window' };
  if (first.hits.length >= rows * DENSE_ENOUGH) {
    const second = await readWindow(pool, filter, after, first.end, rows * SECOND_WINDOW, rows);
    const hits = [...first.hits, ...second.hits];
    if (hits.length >= rows || second.lastOfList)
      return { rows: hits.slice(0, rows), tier: 'second window' };
  }
  return { rows: await byIndexes(pool, filter, after, rows), tier: 'indexes' };
};

/** One page of dialogs matching every given filter, most recently updated first. */
export const listDialogs = async (
  pool: Pool,
  filter: DialogFilter,
  page: Readonly<{ limit: number; after: DialogPosition | null }>,
): Promise<Slice<DialogView>> => {
  const rows = rowsRead(page.limit);
  const found =
    filter.search === undefined
      ? await byIndexes(pool, filter, page.after, rows)
      : (await textPage(pool, filter, page.after, rows)).rows;
  return {
    items: found.slice(0, page.limit).map(toView),
    more: found.length > page.limit,
  };
};
