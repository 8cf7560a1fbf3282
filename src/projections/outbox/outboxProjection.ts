import { contactEventTypes, type ContactEvent } from '../../domain/contact/events';
import { dialogEventTypes, type DialogEvent } from '../../domain/dialog/events';
import { webhookEventNames, type WebhookEvent } from '../../domain/webhook/events';
import {
  loadOutboxContact,
  loadOutboxDialog,
  resolveOutboxContact,
  saveOutboxContact,
  saveOutboxDialog,
  type Tx,
} from './outboxTables';
import { evolveContact, evolveDialog } from './outboxState';
import { webhookMessageId, webhookPayload } from './payload';
import { applyWebhookEvent, subscribersOf } from './subscriptionTable';
import { webhookTriggerOf } from './webhookTrigger';

/** Workers LISTEN here; NOTIFY inside the projection's transaction fires at its commit. */
export const DELIVERIES_CHANNEL = 'webhook_deliveries';

/** An event as the outbox needs it: its domain fields, where it sits in its stream, and when. */
export type OutboxInput = Readonly<{
  type: string;
  data: unknown;
  streamId: string;
  revision: bigint;
  /** metadata.recordedAt: the same on every replay */
  recordedAt: string;
}>;

const as = <T extends { type: string }>(types: readonly string[], input: OutboxInput) =>
  types.includes(input.type) ? ({ type: input.type, data: input.data } as unknown as T) : null;

/**
 * A dialog event: update the outbox's dialog, and when it makes a webhook event that someone
 * subscribed to, store the payload once and one delivery per subscription. Returns whether
 * deliveries were queued.
 */
const applyDialogEvent = async (tx: Tx, event: DialogEvent, input: OutboxInput) => {
  const before = await loadOutboxDialog(tx, event.data.dialogId);
  const dialog = evolveDialog(before, event);
  if (dialog === null) return false;
  await saveOutboxDialog(tx, dialog);
  const trigger = webhookTriggerOf(event);
  if (trigger === null) return false;
  const subscribers = await subscribersOf(tx, trigger.type, dialog.channelId);
  if (subscribers.length === 0) return false;
  const id = webhookMessageId(dialog.dialogId, input.revision);
  const contactId = trigger.message?.contactId ?? dialog.contactId;
  const body = webhookPayload({
    id,
    type: trigger.type,
    timestamp: input.recordedAt,
    dialog,
    message: trigger.message,
    contact: await resolveOutboxContact(tx, contactId),
    changes: trigger.changes,
  });
  // ON CONFLICT: replaying the log never queues an event twice
  await tx.query(
    `INSERT INTO webhooks.messages (message_id, event_type, dialog_id, body, created_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (message_id) DO NOTHING`,
    [id, trigger.type, dialog.dialogId, body, input.recordedAt],
  );
  await tx.query(
    `INSERT INTO webhooks.deliveries (webhook_id, message_id, dialog_id, status, next_attempt_at)
     SELECT w, $2, $3, 'pending', now() FROM unnest($1::text[]) AS w
     ON CONFLICT (webhook_id, message_id) DO NOTHING`,
    [subscribers, id, dialog.dialogId],
  );
  return true;
};

const applyContactEvent = async (tx: Tx, event: ContactEvent): Promise<void> => {
  const contact = evolveContact(await loadOutboxContact(tx, event.data.contactId), event);
  if (contact !== null) await saveOutboxContact(tx, contact);
};

/** Every event type the outbox reads; the rest of the log passes it by. */
export const outboxEventTypes: readonly string[] = [
  ...webhookEventNames,
  ...contactEventTypes,
  ...dialogEventTypes,
];

/**
 * The webhook outbox: events → subscriptions, the outbox's own dialog and contact state (so it
 * never waits for other read models), and deliveries. Runs inside the projection runner's
 * transaction, with its checkpoint, so a delivery is queued exactly when its event is
 * checkpointed, and NOTIFY wakes the workers at that commit.
 */
export const applyOutboxEvent = async (tx: Tx, input: OutboxInput): Promise<void> => {
  const webhook = as<WebhookEvent>(webhookEventNames, input);
  if (webhook !== null) return applyWebhookEvent(tx, webhook, input.recordedAt);
  const contact = as<ContactEvent>(contactEventTypes, input);
  if (contact !== null) return applyContactEvent(tx, contact);
  const dialog = as<DialogEvent>(dialogEventTypes, input);
  if (dialog !== null && (await applyDialogEvent(tx, dialog, input))) {
    // identical notifications in one transaction are folded into one by PostgreSQL
    await tx.query('SELECT pg_notify($1, $2)', [DELIVERIES_CHANNEL, '']);
  }
};
