import type { ClientBase } from 'pg';
import type { DialogOpened, MessageReceived, MessageSent } from '../../domain/dialog/events';
import type { Projected } from '../projection';
import { queueAttachmentStates } from './attachmentStates';
import { lastMessage } from './lastMessage';
import { messagePreview } from './messagePreview';
import { safeHtml } from './safeHtml';

/** The events a run is made of: how dialogs arrive (an opening, then their messages). */
export const RUN_TYPES: ReadonlySet<string> = new Set([
  'DialogOpened',
  'MessageReceived',
  'MessageSent',
]);

type RunEvent = Projected<DialogOpened> | Projected<MessageReceived> | Projected<MessageSent>;

/**
 * One layer of a run: at most one event per dialog, so that each dialog's row is written once
 * and read as it was before the statement, as its handler reads it. The same SET clauses as
 * the handlers' (dialogsProjection.ts), row by row; a message of a dialog the read model does
 * not have inserts nothing, as there.
 */
export const APPLY_LAYER = `
  WITH opened AS (
    INSERT INTO dialogs (dialog_id, channel_id, reference, title, status, contact_id, opened_at,
                         updated_at)
    SELECT o.id, o.channel, o.reference, o.title, 'open',
           coalesce((SELECT survivor_id FROM dialog_contact_aliases WHERE merged_id = o.contact),
                    o.contact),
           o.opened, o.at
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                $7::timestamptz[]) AS o(id, channel, reference, title, contact, opened, at)
  ),
  -- a message's own columns first, as messageColumns gives them, then its kind's
  received AS MATERIALIZED (
    SELECT * FROM unnest($8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                         $13::bigint[], $14::timestamptz[], $15::text[], $16::text[],
                         $17::text[], $18::timestamptz[], $19::timestamptz[])
      AS r(dialog, message, text, html, attachments, revision, at, preview, contact,
           integration, created, received)
  ),
  received_dialogs AS (
    UPDATE dialogs d
    SET messages_in = messages_in + 1,
        first_message_at = coalesce(first_message_at, r.received),
        last_message_at = greatest(last_message_at, r.received),
        integration_data = coalesce(r.integration, integration_data),
        updated_at = r.at,
        ${lastMessage('r.received', {
          id: 'r.message',
          direction: `'incoming'`,
          preview: 'r.preview',
          contact_id: 'r.contact',
          operator_id: 'NULL',
        })}
    -- = ANY: the rows by their key, never a scan of every dialog joined to the layer
    FROM received r WHERE d.dialog_id = r.dialog AND d.dialog_id = ANY($8::text[])
    RETURNING d.dialog_id, d.channel_id
  ),
  received_messages AS (
    INSERT INTO messages (dialog_id, message_id, channel_id, direction, contact_id, text, html,
                          attachments, integration_data, created_at, received_at, revision)
    SELECT r.dialog, r.message, u.channel_id, 'incoming', r.contact, r.text, r.html,
           r.attachments::jsonb, r.integration, r.created, r.received, r.revision
    FROM received r JOIN received_dialogs u ON u.dialog_id = r.dialog
  ),
  sent AS MATERIALIZED (
    SELECT * FROM unnest($20::text[], $21::text[], $22::text[], $23::text[], $24::text[],
                         $25::bigint[], $26::timestamptz[], $27::text[], $28::text[],
                         $29::timestamptz[])
      AS s(dialog, message, text, html, attachments, revision, at, preview, operator, sent)
  ),
  sent_dialogs AS (
    UPDATE dialogs d
    SET messages_out = messages_out + 1,
        last_message_at = greatest(last_message_at, s.sent),
        first_response_at = coalesce(first_response_at, s.sent),
        first_response_seconds = coalesce(
          first_response_seconds, extract(epoch FROM s.sent - first_message_at)),
        updated_at = s.at,
        ${lastMessage('s.sent', {
          id: 's.message',
          direction: `'outgoing'`,
          preview: 's.preview',
          contact_id: 'NULL',
          operator_id: 's.operator',
        })}
    FROM sent s WHERE d.dialog_id = s.dialog AND d.dialog_id = ANY($20::text[])
    RETURNING d.dialog_id, d.channel_id
  )
  INSERT INTO messages (dialog_id, message_id, channel_id, direction, operator_id, text, html,
                        attachments, created_at, received_at, revision, delivery_status,
                        delivery_status_at)
  SELECT s.dialog, s.message, u.channel_id, 'outgoing', s.operator, s.text, s.html,
         s.attachments::jsonb, s.sent, s.sent, s.revision, 'sent', s.sent
  FROM sent s JOIN sent_dialogs u ON u.dialog_id = s.dialog`;

/**
 * A run cut into layers: the k-th event of each dialog in the k-th. Events of different
 * dialogs touch different rows of dialogs and messages, so only each dialog's own order
 * matters, and it is kept. (Attachment rows are the exception: their key may repeat across
 * dialogs, so they are queued afterwards in the run's own order.)
 */
const layersOf = (events: readonly RunEvent[]): RunEvent[][] => {
  const seen = new Map<string, number>();
  const layers: RunEvent[][] = [];
  for (const event of events) {
    const k = seen.get(event.data.dialogId) ?? 0;
    seen.set(event.data.dialogId, k + 1);
    (layers[k] ??= []).push(event);
  }
  return layers;
};

const only = <T extends RunEvent['type']>(layer: readonly RunEvent[], type: T) =>
  layer.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

/** What every message has, in APPLY_LAYER's order: ids, body as stored, revision, time, preview. */
const messageColumns = (
  events: readonly (Projected<MessageReceived> | Projected<MessageSent>)[],
): unknown[][] => [
  events.map((e) => e.data.dialogId),
  events.map((e) => e.data.messageId),
  events.map((e) => e.data.text),
  events.map((e) => safeHtml(e.data.html)),
  events.map((e) => JSON.stringify(e.data.attachments)),
  events.map((e) => e.revision.toString()),
  events.map((e) => e.recordedAt),
  events.map((e) => messagePreview(e.data.text, e.data.html, e.data.attachments)),
];

/** APPLY_LAYER's parameters. */
export const layerValues = (layer: readonly RunEvent[]): unknown[] => {
  const opened = only(layer, 'DialogOpened');
  const received = only(layer, 'MessageReceived');
  const sent = only(layer, 'MessageSent');
  return [
    opened.map((e) => e.data.dialogId),
    opened.map((e) => e.data.channelId),
    opened.map((e) => e.data.reference),
    opened.map((e) => e.data.title),
    opened.map((e) => e.data.contactId),
    opened.map((e) => e.data.openedAt),
    opened.map((e) => e.recordedAt),
    ...messageColumns(received),
    received.map((e) => e.data.contactId),
    received.map((e) => e.data.integrationData),
    received.map((e) => e.data.createdAt),
    received.map((e) => e.data.receivedAt),
    ...messageColumns(sent),
    sent.map((e) => e.data.operatorId),
    sent.map((e) => e.data.sentAt),
  ];
};

/**
 * Applies consecutive openings and messages as their handlers would one by one, in a
 * statement per layer instead of one per event: a dialog's messages come one after the
 * other in the log, and many dialogs' side by side under load (docs/performance.md).
 */
export const applyDialogRun = async (
  db: ClientBase,
  events: readonly Projected[],
): Promise<void> => {
  const run = events as readonly RunEvent[];
  for (const layer of layersOf(run)) await db.query(APPLY_LAYER, layerValues(layer));
  for (const event of run)
    if (event.type !== 'DialogOpened')
      await queueAttachmentStates(
        db,
        event.data.dialogId,
        event.data.messageId,
        event.data.attachments,
        event.type === 'MessageReceived' ? 'incoming' : 'outgoing',
      );
};
