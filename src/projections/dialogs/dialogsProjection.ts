import type { ClientBase } from 'pg';
import { ERASED } from '../../domain/shared/erased';
import type { Projection } from '../projection';
import { ERASED_ATTACHMENTS, erasedColumn } from './erasedColumns';
import {
  ATTACHMENT_STATES_DDL,
  attachmentStateHandlers,
  queueAttachmentStates,
} from './attachmentStates';
import { applyDialogRun, RUN_TYPES } from './dialogRuns';
import { lastMessage } from './lastMessage';
import { messagePreview } from './messagePreview';
import { safeHtml } from './safeHtml';

const DDL = `
  CREATE TABLE dialogs (
    dialog_id text PRIMARY KEY,
    channel_id text NOT NULL,
    reference text,
    title text,
    status text NOT NULL CHECK (status IN ('open', 'closed')),
    assignee_id text,
    -- the contact the dialog belongs to now: after merges, the surviving contact
    contact_id text NOT NULL,
    messages_in integer NOT NULL DEFAULT 0,
    messages_out integer NOT NULL DEFAULT 0,
    first_message_at timestamptz,
    last_message_at timestamptz,
    -- the latest message by arrival (the one last_message_at is the time of), for the inbox list
    last_message_id text,
    last_message_direction text CHECK (last_message_direction IN ('incoming', 'outgoing')),
    last_message_preview text,
    last_message_contact_id text,
    last_message_operator_id text,
    first_response_at timestamptz,
    first_response_seconds double precision,
    integration_data text,
    opened_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    closed_at timestamptz
  );
  CREATE INDEX dialogs_contact_updated ON dialogs (contact_id, updated_at DESC, dialog_id DESC);

  CREATE TABLE messages (
    dialog_id text NOT NULL,
    message_id text NOT NULL,
    channel_id text NOT NULL,
    direction text NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
    -- the sender of an incoming message, as recorded (contacts.survivor_id resolves merges)
    contact_id text,
    operator_id text,
    text text,
    html text,
    attachments jsonb NOT NULL,
    integration_data text,
    created_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    -- the event's revision in the dialog's stream: arrival order within the dialog
    revision bigint NOT NULL,
    -- outgoing only: how far the integration reported it got (domain/dialog/deliveryStatus.ts)
    delivery_status text CHECK (delivery_status IN ('sent', 'failed', 'delivered', 'read')),
    delivery_reason text,
    delivery_status_at timestamptz,
    PRIMARY KEY (dialog_id, message_id)
  );

  -- which contact each merged contact became, so that dialogs follow merges (chains included)
  CREATE TABLE dialog_contact_aliases (
    merged_id text PRIMARY KEY,
    survivor_id text NOT NULL
  );
  CREATE INDEX dialog_contact_aliases_survivor ON dialog_contact_aliases (survivor_id);
`;

/** What the dialog list's text filter reads of a dialog (the index's expression). */
export const DIALOG_TEXT = `lower(coalesce(title, '') || ' ' || coalesce(reference, '') || ' ' ||
  coalesce(last_message_preview, ''))`;

/**
 * Indexes of lists and analytics: a rebuild builds them after its replay. The handlers need
 * only the keys and dialogs_contact_updated (a merge moves a contact's dialogs).
 */
const QUERY_INDEXES: readonly string[] = [
  `CREATE INDEX dialogs_reference ON dialogs (channel_id, reference) WHERE reference IS NOT NULL`,
  `CREATE INDEX dialogs_updated ON dialogs (updated_at DESC, dialog_id DESC)`,
  `CREATE INDEX dialogs_channel_updated ON dialogs (channel_id, updated_at DESC, dialog_id DESC)`,
  `CREATE INDEX dialogs_status_updated ON dialogs (status, updated_at DESC, dialog_id DESC)`,
  `CREATE INDEX dialogs_unassigned_updated ON dialogs (updated_at DESC, dialog_id DESC) WHERE assignee_id IS NULL`,
  `CREATE INDEX dialogs_assignee_updated ON dialogs (assignee_id, updated_at DESC, dialog_id DESC) WHERE assignee_id IS NOT NULL`,
  `CREATE INDEX dialogs_opened ON dialogs (opened_at)`,
  `CREATE INDEX messages_dialog_order ON messages (dialog_id, created_at, revision)`,
  `CREATE INDEX messages_received ON messages (received_at)`,
  // the list's text filter (dialogQueries.ts), by trigrams instead of a scan of every dialog
  `CREATE INDEX dialogs_text ON dialogs USING gin (${DIALOG_TEXT} gin_trgm_ops)`,
  // a delivery report names a message by its id alone
  `CREATE INDEX messages_by_id ON messages (message_id)`,
];

/** The contact a (possibly merged) contact id stands for now. */
const survivorOf = async (db: ClientBase, contactId: string): Promise<string> => {
  const result = await db.query<{ survivor_id: string }>(
    'SELECT survivor_id FROM dialog_contact_aliases WHERE merged_id = $1',
    [contactId],
  );
  return result.rows[0]?.survivor_id ?? contactId;
};

/** Dialogs with their reference, status, assignee and message statistics; every message. */
export const dialogsProjection: Projection = {
  name: 'dialogs',
  // 2: the last message's id, direction, preview and author, for the inbox list
  // 3: a trigram index of the list's text filter; 4: outgoing messages' delivery status
  // 5: each kept attachment's state (message_attachments)
  version: 5,
  tables: ['dialogs', 'messages', 'dialog_contact_aliases', 'message_attachments'],
  createTables: async (db) => {
    // for dialogs_text; in public, as the contacts projection creates it
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public');
    await db.query(DDL);
    await db.query(ATTACHMENT_STATES_DDL);
  },
  queryIndexes: QUERY_INDEXES,
  batchedWrites: true,
  runs: { types: RUN_TYPES, apply: applyDialogRun },
  derivedOnly: true,
  handlers: {
    DialogOpened: async (db, { data, recordedAt }) => {
      await db.query(
        `INSERT INTO dialogs (dialog_id, channel_id, reference, title, status, contact_id,
                              opened_at, updated_at)
         VALUES ($1, $2, $3, $4, 'open',
                 coalesce((SELECT survivor_id FROM dialog_contact_aliases WHERE merged_id = $5), $5),
                 $6, $7)`,
        [
          data.dialogId,
          data.channelId,
          data.reference,
          data.title,
          data.contactId,
          data.openedAt,
          recordedAt,
        ],
      );
    },
    DialogTitleChanged: async (db, { data, recordedAt }) => {
      await db.query(`UPDATE dialogs SET title = $2, updated_at = $3 WHERE dialog_id = $1`, [
        data.dialogId,
        data.title,
        recordedAt,
      ]);
    },
    DialogReopened: async (db, { data, recordedAt }) => {
      await db.query(
        `UPDATE dialogs SET status = 'open', closed_at = NULL, updated_at = $2
         WHERE dialog_id = $1`,
        [data.dialogId, recordedAt],
      );
    },
    DialogStatusChanged: async (db, { data, recordedAt }) => {
      await db.query(
        `UPDATE dialogs
         SET status = $2, closed_at = CASE WHEN $2 = 'closed' THEN $3::timestamptz END,
             updated_at = $3
         WHERE dialog_id = $1`,
        [data.dialogId, data.status, recordedAt],
      );
    },
    DialogAssigned: async (db, { data, recordedAt }) => {
      await db.query(`UPDATE dialogs SET assignee_id = $2, updated_at = $3 WHERE dialog_id = $1`, [
        data.dialogId,
        data.assigneeId,
        recordedAt,
      ]);
    },
    // one statement per message: the dialog's statistics move and the message row goes in
    MessageReceived: async (db, { data, revision, recordedAt }) => {
      await db.query(
        `WITH dialog AS (
           UPDATE dialogs
           SET messages_in = messages_in + 1,
               first_message_at = coalesce(first_message_at, $9),
               last_message_at = greatest(last_message_at, $9),
               integration_data = coalesce($7, integration_data),
               updated_at = $11,
               ${lastMessage('$9::timestamptz', {
                 id: '$2',
                 direction: `'incoming'`,
                 preview: '$12',
                 contact_id: '$3',
                 operator_id: 'NULL',
               })}
           WHERE dialog_id = $1
           RETURNING channel_id
         )
         INSERT INTO messages (dialog_id, message_id, channel_id, direction, contact_id, text,
                               html, attachments, integration_data, created_at, received_at, revision)
         SELECT $1, $2, channel_id, 'incoming', $3, $4, $5, $6, $7, $8, $9, $10 FROM dialog`,
        [
          data.dialogId,
          data.messageId,
          data.contactId,
          data.text,
          safeHtml(data.html),
          JSON.stringify(data.attachments),
          data.integrationData,
          data.createdAt,
          data.receivedAt,
          revision.toString(),
          recordedAt,
          messagePreview(data.text, data.html, data.attachments),
        ],
      );
      await queueAttachmentStates(db, data.dialogId, data.messageId, data.attachments, 'incoming');
    },
    MessageSent: async (db, { data, revision, recordedAt }) => {
      await db.query(
        `WITH dialog AS (
           UPDATE dialogs
           SET messages_out = messages_out + 1,
               last_message_at = greatest(last_message_at, $7),
               first_response_at = coalesce(first_response_at, $7),
               first_response_seconds = coalesce(
                 first_response_seconds, extract(epoch FROM $7::timestamptz - first_message_at)),
               updated_at = $9,
               ${lastMessage('$7::timestamptz', {
                 id: '$2',
                 direction: `'outgoing'`,
                 preview: '$10',
                 contact_id: 'NULL',
                 operator_id: '$3',
               })}
           WHERE dialog_id = $1
           RETURNING channel_id
         )
         INSERT INTO messages (dialog_id, message_id, channel_id, direction, operator_id, text,
                               html, attachments, created_at, received_at, revision,
                               delivery_status, delivery_status_at)
         SELECT $1, $2, channel_id, 'outgoing', $3, $4, $5, $6, $7, $7, $8, 'sent', $7
         FROM dialog`,
        [
          data.dialogId,
          data.messageId,
          data.operatorId,
          data.text,
          safeHtml(data.html),
          JSON.stringify(data.attachments),
          data.sentAt,
          revision.toString(),
          recordedAt,
          messagePreview(data.text, data.html, data.attachments),
        ],
      );
      await queueAttachmentStates(db, data.dialogId, data.messageId, data.attachments, 'outgoing');
    },
    // the decider only ever moves a status up, so the latest event is the status; the dialog's
    // updated_at stays: a receipt is not activity that should move the dialog up the inbox
    MessageDeliveryStatusChanged: async (db, { data }) => {
      await db.query(
        `UPDATE messages SET delivery_status = $3, delivery_reason = $4, delivery_status_at = $5
         WHERE dialog_id = $1 AND message_id = $2`,
        [data.dialogId, data.messageId, data.status, data.reason, data.reportedAt],
      );
    },
    // the person's dialogs keep their times, counts and status; what they said or were told
    // reads [erased], exactly as a replay of the erased log leaves it (rebuild.int.spec.ts)
    ContactErased: async (db, { data }) => {
      await db.query(
        `WITH erased AS (
           UPDATE dialogs
           SET ${['reference', 'title', 'integration_data', 'last_message_preview'].map(erasedColumn).join(', ')}
           WHERE contact_id = ANY($1)
           RETURNING dialog_id
         )
         UPDATE messages
         SET ${['text', 'html', 'integration_data'].map(erasedColumn).join(', ')},
             attachments = ${ERASED_ATTACHMENTS}
         WHERE dialog_id IN (SELECT dialog_id FROM erased) OR contact_id = ANY($1)`,
        [data.erasedContactIds, ERASED],
      );
    },
    ...attachmentStateHandlers,
    ContactMergedInto: async (db, { data }) => {
      const survivor = await survivorOf(db, data.survivorId);
      if (survivor === data.contactId) return; // a cycle would be a write-side bug; never loop on it
      await db.query(
        `INSERT INTO dialog_contact_aliases (merged_id, survivor_id) VALUES ($1, $2)
         ON CONFLICT (merged_id) DO UPDATE SET survivor_id = EXCLUDED.survivor_id`,
        [data.contactId, survivor],
      );
      // contacts merged into this one earlier follow it to its survivor
      await db.query(`UPDATE dialog_contact_aliases SET survivor_id = $2 WHERE survivor_id = $1`, [
        data.contactId,
        survivor,
      ]);
      await db.query(`UPDATE dialogs SET contact_id = $2 WHERE contact_id = $1`, [
        data.contactId,
        survivor,
      ]);
    },
  },
};
