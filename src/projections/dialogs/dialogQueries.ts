import type { Pool } from 'pg';

export type DialogStatusFilter = 'open' | 'closed';

export type DialogView = Readonly<{
  dialogId: string;
  channelId: string;
  reference: string | null;
  title: string | null;
  status: DialogStatusFilter;
  assigneeId: string | null;
  contactId: string;
  messagesIn: number;
  messagesOut: number;
  firstMessageAt: Date | null;
  lastMessageAt: Date | null;
  firstResponseAt: Date | null;
  firstResponseSeconds: number | null;
  integrationData: string | null;
  openedAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}>;

export type DialogFilter = Readonly<{
  channelId?: string;
  status?: DialogStatusFilter;
  reference?: string;
  /** a merged contact's id finds its survivor's dialogs */
  contactId?: string;
  assigneeId?: string;
  updatedSince?: Date;
}>;

/** Keyset position: dialogs come most recently updated first. */
export type DialogPosition = Readonly<{ updatedAt: Date; dialogId: string }>;

export type Slice<T> = Readonly<{ items: readonly T[]; more: boolean }>;

type Row = {
  dialog_id: string;
  channel_id: string;
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
  d.closed_at`;

const toView = (row: Row): DialogView => ({
  dialogId: row.dialog_id,
  channelId: row.channel_id,
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
  const result = await pool.query<Row>(
    `SELECT ${COLUMNS} FROM read_model.dialogs d WHERE d.dialog_id = $1`,
    [dialogId],
  );
  const row = result.rows[0];
  return row === undefined ? null : toView(row);
};

/** One page of dialogs matching every given filter, most recently updated first. */
export const listDialogs = async (
  pool: Pool,
  filter: DialogFilter,
  page: Readonly<{ limit: number; after: DialogPosition | null }>,
): Promise<Slice<DialogView>> => {
  const result = await pool.query<Row>(
    `SELECT ${COLUMNS} FROM read_model.dialogs d
     WHERE ($1::text IS NULL OR d.channel_id = $1)
       AND ($2::text IS NULL OR d.status = $2)
       AND ($3::text IS NULL OR d.reference = $3)
       AND ($4::text IS NULL OR d.contact_id = coalesce(
             (SELECT a.survivor_id FROM read_model.dialog_contact_aliases a WHERE a.merged_id = $4),
             $4))
       AND ($5::text IS NULL OR d.assignee_id = $5)
       AND ($6::timestamptz IS NULL OR d.updated_at >= $6)
       AND ($7::timestamptz IS NULL OR (d.updated_at, d.dialog_id) < ($7, $8::text))
     ORDER BY d.updated_at DESC, d.dialog_id DESC
     LIMIT $9`,
    [
      filter.channelId ?? null,
      filter.status ?? null,
      filter.reference ?? null,
      filter.contactId ?? null,
      filter.assigneeId ?? null,
      filter.updatedSince ?? null,
      page.after?.updatedAt ?? null,
      page.after?.dialogId ?? null,
      page.limit + 1,
    ],
  );
  return {
    items: result.rows.slice(0, page.limit).map(toView),
    more: result.rows.length > page.limit,
  };
};
