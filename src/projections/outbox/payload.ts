import type { WebhookEventType } from '../../domain/webhook/eventTypes';
import { safeHtml } from '../dialogs/safeHtml';
import type { OutboxContact, OutboxDialog } from './outboxState';
import type { DialogChange, WebhookMessage } from './webhookTrigger';

export type PayloadInput = Readonly<{
  /** the webhook-id: the same on every attempt and for every subscription */
  id: string;
  type: WebhookEventType;
  /** when Parley recorded the event, ISO 8601 */
  timestamp: string;
  dialog: OutboxDialog;
  message: WebhookMessage | null;
  /** the dialog's contact with merges resolved; null if the outbox never saw it */
  contact: OutboxContact | null;
  changes: readonly DialogChange[];
}>;

const messageJson = (m: WebhookMessage) => ({
  id: m.id,
  direction: m.direction,
  text: m.text,
  // kept as received for audit, sanitized wherever it is served: webhooks too, as the API does
  html: safeHtml(m.html),
  attachments: m.attachments.map(({ url, size, name, mimeType }) => ({
    url,
    size,
    name,
    mimeType,
  })),
  created_at: m.createdAt,
  ...(m.direction === 'incoming'
    ? {
        integration_data: m.integrationData ?? null,
        contact_id: m.contactId ?? null,
        received_at: m.receivedAt ?? null,
      }
    : { operator_id: m.operatorId ?? null }),
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
      ...(input.message === null ? {} : { message: messageJson(input.message) }),
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
