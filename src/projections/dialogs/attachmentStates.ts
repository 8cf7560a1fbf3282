import type { ClientBase } from 'pg';
import { idOfAttachment } from '../../application/attachments/attachmentId';
import type { Attachment } from '../../domain/dialog/message';
import type { Handlers } from '../projection';

/** Each kept attachment's state, beside its message (SPEC §2.1). */
export const ATTACHMENT_STATES_DDL = `
  CREATE TABLE message_attachments (
    attachment_id text PRIMARY KEY,
    dialog_id text NOT NULL,
    message_id text NOT NULL,
    -- the attachment's place in messages.attachments
    position integer NOT NULL,
    state text NOT NULL CHECK (state IN ('pending', 'stored', 'failed')),
    -- why it failed, for good
    reason text,
    size bigint,
    sha256 text,
    sniffed_type text,
    settled_at timestamptz
  );
  CREATE INDEX message_attachments_message ON message_attachments (dialog_id, message_id);
`;

/**
 * Pending rows for a message's attachments that Parley keeps: every incoming one (fetched in
 * the background) and an operator's uploads. An operator's attachment given by URL is passed on
 * as it is: no row, shown as `linked`.
 */
export const queueAttachmentStates = async (
  db: ClientBase,
  dialogId: string,
  messageId: string,
  attachments: readonly Attachment[],
  direction: 'incoming' | 'outgoing',
): Promise<void> => {
  const kept = attachments
    .map((a, position) => ({ a, position, id: idOfAttachment(messageId, a, position) }))
    .filter(({ a }) => direction === 'incoming' || a.id !== undefined);
  if (kept.length === 0) return;
  await db.query(
    `INSERT INTO message_attachments (attachment_id, dialog_id, message_id, position, state)
     SELECT id, $2, $3, position, 'pending' FROM unnest($1::text[], $4::int[]) AS a(id, position)
     ON CONFLICT (attachment_id) DO NOTHING`,
    [kept.map((k) => k.id), dialogId, messageId, kept.map((k) => k.position)],
  );
};

const SETTLE = `
  INSERT INTO message_attachments (attachment_id, dialog_id, message_id, position, state, reason,
                                   size, sha256, sniffed_type, settled_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
  ON CONFLICT (attachment_id) DO UPDATE
    SET state = EXCLUDED.state, reason = EXCLUDED.reason, size = EXCLUDED.size,
        sha256 = EXCLUDED.sha256, sniffed_type = EXCLUDED.sniffed_type,
        settled_at = EXCLUDED.settled_at`;

export const attachmentStateHandlers: Handlers = {
  AttachmentStored: async (db, { data }) => {
    await db.query(SETTLE, [
      data.attachmentId,
      data.dialogId,
      data.messageId,
      data.index,
      'stored',
      null,
      data.size,
      data.sha256,
      data.sniffedType,
      data.storedAt,
    ]);
  },
  AttachmentFetchFailed: async (db, { data }) => {
    await db.query(SETTLE, [
      data.attachmentId,
      data.dialogId,
      data.messageId,
      data.index,
      'failed',
      data.reason,
      null,
      null,
      null,
      data.failedAt,
    ]);
  },
};
