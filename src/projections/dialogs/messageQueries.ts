import type { Pool } from 'pg';
import type { MessageSnapshot } from '../../application/audit/dialogAsOf';
import type { DeliveryStatus } from '../../domain/dialog/deliveryStatus';
import type { Attachment } from '../../domain/dialog/message';
import type { Slice } from './dialogQueries';

/** A kept attachment's state (message_attachments), by its place in the message. */
export type AttachmentStateView = Readonly<{
  position: number;
  state: 'pending' | 'stored' | 'failed';
  reason: string | null;
  size: number | null;
  sha256: string | null;
  sniffed_type: string | null;
}>;

/**
 * A message as the read model serves it: the time-travel snapshot's fields, `html` sanitized,
 * and the state of each attachment Parley keeps (absent in a time-travel snapshot).
 */
export type MessageView = MessageSnapshot & { attachmentStates?: readonly AttachmentStateView[] };

/** Keyset position: messages come by the sender's timestamp, then by arrival (SPEC §2). */
export type MessagePosition = Readonly<{ createdAt: Date; revision: bigint }>;

type Row = {
  message_id: string;
  dialog_id: string;
  direction: 'incoming' | 'outgoing';
  contact_id: string | null;
  operator_id: string | null;
  text: string | null;
  html: string | null;
  attachments: Attachment[];
  integration_data: string | null;
  created_at: Date;
  received_at: Date;
  revision: string;
  delivery_status: DeliveryStatus | null;
  delivery_reason: string | null;
  delivery_status_at: Date | null;
  kept: AttachmentStateView[] | null;
};

export const listMessages = async (
  pool: Pool,
  dialogId: string,
  page: Readonly<{ limit: number; after: MessagePosition | null }>,
): Promise<Slice<MessageView>> => {
  const { after } = page;
  // prepared once per connection, with and without a cursor: each plan reads the index from
  // where the page starts (one with `$2 IS NULL OR …` would read a long dialog from its start)
  const result = await pool.query<Row>({
    name: after === null ? 'dialog-messages-first' : 'dialog-messages-after',
    text: `SELECT message_id, dialog_id, direction, contact_id, operator_id, text, html, attachments,
            integration_data, created_at, received_at, revision, delivery_status,
            delivery_reason, delivery_status_at,
            (SELECT jsonb_agg(jsonb_build_object('position', a.position, 'state', a.state,
                      'reason', a.reason, 'size', a.size, 'sha256', a.sha256,
                      'sniffed_type', a.sniffed_type))
               FROM read_model.message_attachments a
              WHERE a.dialog_id = m.dialog_id AND a.message_id = m.message_id) AS kept
     FROM read_model.messages m
     WHERE dialog_id = $1
       ${after === null ? '' : 'AND (created_at, revision) > ($3::timestamptz, $4::bigint)'}
     ORDER BY created_at, revision
     LIMIT $2`,
    values:
      after === null
        ? [dialogId, page.limit + 1]
        : [dialogId, page.limit + 1, after.createdAt, after.revision.toString()],
  });
  return {
    items: result.rows.slice(0, page.limit).map((row) => ({
      messageId: row.message_id,
      dialogId: row.dialog_id,
      direction: row.direction,
      contactId: row.contact_id,
      operatorId: row.operator_id,
      text: row.text,
      html: row.html,
      attachments: row.attachments,
      integrationData: row.integration_data,
      createdAt: row.created_at,
      receivedAt: row.received_at,
      revision: BigInt(row.revision),
      delivery:
        row.delivery_status === null || row.delivery_status_at === null
          ? null
          : {
              status: row.delivery_status,
              reason: row.delivery_reason,
              at: row.delivery_status_at,
            },
      attachmentStates: row.kept ?? [],
    })),
    more: result.rows.length > page.limit,
  };
};

/** The dialog of a channel's message, by the message's id alone; null if the model has none. */
export const findMessageDialog = async (
  pool: Pool,
  channelId: string,
  messageId: string,
): Promise<string | null> => {
  const result = await pool.query<{ dialog_id: string }>(
    'SELECT dialog_id FROM read_model.messages WHERE message_id = $1 AND channel_id = $2',
    [messageId, channelId],
  );
  return result.rows[0]?.dialog_id ?? null;
};
