import type { DialogEvent, MessageReceived, MessageSent } from '../../domain/dialog/events';
import type { Attachment } from '../../domain/dialog/message';
import type { WebhookEventType } from '../../domain/webhook/eventTypes';
import { attachmentIdOf } from '../../application/attachments/attachmentId';
import { safeHtml } from '../dialogs/safeHtml';
import type { OutboxContact, OutboxDialog } from './outboxState';

export type DialogChange = Readonly<{
  field: 'status' | 'assignee_id' | 'title';
  from: string | null;
  to: string | null;
}>;

export type WebhookMessage = Readonly<{
  id: string;
  direction: 'incoming' | 'outgoing';
  text: string | null;
  html: string | null;
  attachments: readonly Attachment[];
  /** incoming only */
  integrationData?: string | null;
  contactId?: string;
  /** outgoing only: null when the admin token replied */
  operatorId?: string | null;
  /** the sender's time (incoming) or when the operator sent it */
  createdAt: string;
  receivedAt?: string;
}>;

/** message.updated: an outgoing message's new delivery status (its body is in message.created). */
export type WebhookStatusUpdate = Readonly<{
  id: string;
  status: string;
  previousStatus: string;
  reason: string | null;
  at: string;
}>;

export type WebhookTrigger = Readonly<{
  type: WebhookEventType;
  changes: readonly DialogChange[];
  message: WebhookMessage | null;
  statusUpdate?: WebhookStatusUpdate;
}>;

/**
 * Which webhook event a dialog event makes, if any: dialog.created on DialogOpened,
 * dialog.updated when status, assignee or title change (a reopening by activity is a status
 * change too), message.created for every message, incoming and outgoing, message.updated when
 * an outgoing message's delivery status moves.
 */
export const webhookTriggerOf = (event: DialogEvent): WebhookTrigger | null => {
  const updated = (change: DialogChange): WebhookTrigger => ({
    type: 'dialog.updated',
    changes: [change],
    message: null,
  });
  const created = (
    m: Pick<(MessageReceived | MessageSent)['data'], 'messageId' | 'text' | 'html' | 'attachments'>,
    side: Omit<WebhookMessage, 'id' | 'text' | 'html' | 'attachments'>,
  ): WebhookTrigger => ({
    type: 'message.created',
    changes: [],
    message: { id: m.messageId, text: m.text, html: m.html, attachments: m.attachments, ...side },
  });
  switch (event.type) {
    case 'DialogOpened':
      return { type: 'dialog.created', changes: [], message: null };
    case 'DialogTitleChanged':
      return updated({ field: 'title', from: event.data.previousTitle, to: event.data.title });
    case 'DialogReopened':
      return updated({ field: 'status', from: 'closed', to: 'open' });
    case 'DialogStatusChanged':
      return updated({
        field: 'status',
        from: event.data.previousStatus,
        to: event.data.status,
      });
    case 'DialogAssigned':
      return updated({
        field: 'assignee_id',
        from: event.data.previousAssigneeId,
        to: event.data.assigneeId,
      });
    case 'MessageReceived': {
      const m = event.data;
      return created(m, {
        direction: 'incoming',
        integrationData: m.integrationData,
        contactId: m.contactId,
        createdAt: m.createdAt,
        receivedAt: m.receivedAt,
      });
    }
    case 'MessageSent': {
      const m = event.data;
      return created(m, { direction: 'outgoing', operatorId: m.operatorId, createdAt: m.sentAt });
    }
    case 'MessageDeliveryStatusChanged': {
      const { messageId, status, previousStatus, reason, reportedAt } = event.data;
      return {
        type: 'message.updated',
        changes: [],
        message: null,
        statusUpdate: { id: messageId, status, previousStatus, reason, at: reportedAt },
      };
    }
  }
};

export type PayloadInput = Readonly<{
  /** the webhook-id: the same on every attempt and for every subscription */
  id: string;
  type: WebhookEventType;
  /** when Parley recorded the event, ISO 8601 */
  timestamp: string;
  dialog: OutboxDialog;
  message: WebhookMessage | null;
  statusUpdate?: WebhookStatusUpdate;
  /** the dialog's contact with merges resolved; null if the outbox never saw it */
  contact: OutboxContact | null;
  changes: readonly DialogChange[];
  /** signs integrators' attachment links; null: no links (the attachments as named) */
  links?: PayloadLinks | null;
}>;

/**
 * An attachment's signed download link, from the event's recorded time: the same on every
 * attempt (the body is serialised once) and on a replay of the log.
 */
export type PayloadLinks = (
  attachmentId: string,
  recordedAt: string,
) => Readonly<{ url: string; expiresAt: string }>;

const attachmentJson = (
  m: WebhookMessage,
  { url, size, name, mimeType, id }: Attachment,
  index: number,
  links: PayloadLinks | null,
  recordedAt: string,
) => {
  const attachmentId = id ?? attachmentIdOf(m.id, index);
  const link = links?.(attachmentId, recordedAt) ?? null;
  return {
    id: attachmentId,
    // an upload's own url is Parley's staff route: integrators get the signed link instead
    url: id === undefined ? url : (link?.url ?? url),
    size,
    name,
    mimeType,
    ...(link === null ? {} : { download_url: link.url, download_expires_at: link.expiresAt }),
  };
};

const messageJson = (m: WebhookMessage, links: PayloadLinks | null, recordedAt: string) => ({
  id: m.id,
  direction: m.direction,
  text: m.text,
  // kept as received for audit, sanitized wherever it is served: webhooks too, as the API does
  html: safeHtml(m.html),
  attachments: m.attachments.map((a, index) => attachmentJson(m, a, index, links, recordedAt)),
  created_at: m.createdAt,
  ...(m.direction === 'incoming'
    ? {
        integration_data: m.integrationData ?? null,
        contact_id: m.contactId ?? null,
        received_at: m.receivedAt ?? null,
      }
    : { operator_id: m.operatorId ?? null }),
});

const statusJson = (u: WebhookStatusUpdate) => ({
  id: u.id,
  direction: 'outgoing',
  status: u.status,
  previous_status: u.previousStatus,
  status_reason: u.reason,
  status_at: u.at,
});

const contactJson = (c: OutboxContact) => ({
  id: c.contactId,
  name: c.name,
  description: c.description,
  contacts: c.data.map(({ id, value, type, service, origin }) => ({
    id,
    value,
    type,
    service,
    origin,
  })),
});

/**
 * `{ id, type, timestamp, data: { dialog, message?, contact, changes? } }`, serialised once:
 * every attempt sends exactly these bytes, so a signature always covers the same body.
 */
export const webhookPayload = (input: PayloadInput): string =>
  JSON.stringify({
    id: input.id,
    type: input.type,
    timestamp: input.timestamp,
    data: {
      dialog: {
        id: input.dialog.dialogId,
        channel_id: input.dialog.channelId,
        reference: input.dialog.reference,
        title: input.dialog.title,
        status: input.dialog.status,
        assignee_id: input.dialog.assigneeId,
        integration_data: input.dialog.integrationData,
        created_at: input.dialog.openedAt,
      },
      ...(input.message === null
        ? {}
        : { message: messageJson(input.message, input.links ?? null, input.timestamp) }),
      ...(input.statusUpdate === undefined ? {} : { message: statusJson(input.statusUpdate) }),
      contact: input.contact === null ? null : contactJson(input.contact),
      ...(input.type === 'dialog.updated' ? { changes: input.changes } : {}),
    },
  });

/**
 * The webhook-id of the webhook event a dialog event makes: the dialog and the event's revision
 * in the dialog's stream, so it is the same on every attempt, for every subscription, and
 * across replays of the log.
 */
export const webhookMessageId = (dialogId: string, revision: bigint): string =>
  `msg_${dialogId}_${revision}`;
