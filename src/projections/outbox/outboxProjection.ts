/**
 * The webhook outbox: where one webhook starts. Its path, as in docs/webhooks.md:
 *
 * 1. event → outbox rows, here, on the projection runner and in its checkpoint's transaction: a
 *    dialog event evolves the outbox's dialog (outboxState.ts, on the domain's evolve); when it
 *    makes a webhook event type someone subscribed to (payload.ts, subscriptionTable.ts), the
 *    body is serialised once into webhooks.messages, one webhooks.deliveries row is queued per
 *    subscription, and the workers are woken at commit (outboxSchema.ts: tables and channel).
 * 2. claim: a delivery worker (infrastructure/webhooks/deliveryWorker.ts) leases the head of a
 *    (subscription, dialog) line (deliveryQueue.ts, FOR UPDATE SKIP LOCKED).
 * 3. signed delivery: signature.ts signs the stored body; sendWebhook.ts POSTs it to an address
 *    urlGuard.ts checks at that moment.
 * 4. log: retrySchedule.ts says what the answer means; deliveryQueue.ts records the attempt in
 *    webhooks.attempts and moves the delivery on (delivered, due again later, or dead-lettered).
 */
import type { ClientBase } from 'pg';
import { contactEventTypes, type ContactEvent } from '../../domain/contact/events';
import { dialogEventTypes, type DialogEvent } from '../../domain/dialog/events';
import {
  webhookSubscriptionEventTypes,
  type WebhookSubscriptionEvent,
} from '../../domain/webhook/events';
import type { Handlers, Projected, Projection } from '../projection';
import { READ_MODEL } from '../schema';
import { wakeDeliveryWorkers } from './outboxSchema';
import {
  evolveContact,
  evolveDialog,
  loadOutboxContact,
  loadOutboxDialog,
  resolveOutboxContact,
  saveOutboxContact,
  saveOutboxDialog,
  type Tx,
} from './outboxState';
import { eraseFromOutbox } from './outboxErasure';
import { webhookMessageId, webhookPayload, webhookTriggerOf, type PayloadLinks } from './payload';
import { applySubscriptionEvent, subscribersOf } from './subscriptionTable';

/** An event as the outbox takes it: any type (the ones it does not read pass it by). */
export type OutboxInput = Omit<Projected, 'type' | 'data'> &
  Readonly<{ type: string; data: unknown }>;

/**
 * The domain event types the outbox reads: a subscription's own events, and the dialog and
 * contact events its payloads are made of. Not the webhook event types (`message.created`, …)
 * that subscriptions ask for: those are domain/webhook/eventTypes.ts.
 */
export const outboxInputEventTypes: readonly string[] = [
  ...webhookSubscriptionEventTypes,
  ...contactEventTypes,
  ...dialogEventTypes,
];

const as = <T extends { type: string }>(types: readonly string[], input: OutboxInput) =>
  types.includes(input.type) ? ({ type: input.type, data: input.data } as unknown as T) : null;

/**
 * A dialog event: update the outbox's dialog, and when it makes a webhook event that someone
 * subscribed to, store the payload once and one delivery per subscription. Returns whether
 * deliveries were queued.
 */
const applyDialogEvent = async (
  tx: Tx,
  event: DialogEvent,
  input: OutboxInput,
  links: PayloadLinks | null,
) => {
  const before = await loadOutboxDialog(tx, event.data.dialogId);
  const dialog = evolveDialog(before, event);
  if (dialog === null) return false;
  await saveOutboxDialog(tx, dialog);
  // an imported history's events keep the outbox's dialog current but send nothing
  if (input.quiet === true) return false;
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
    ...(trigger.statusUpdate === undefined ? {} : { statusUpdate: trigger.statusUpdate }),
    contact: await resolveOutboxContact(tx, contactId),
    changes: trigger.changes,
    links,
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
  if (event.type === 'ContactErased') await eraseFromOutbox(tx, event.data.erasedContactIds);
  const contact = evolveContact(await loadOutboxContact(tx, event.data.contactId), event);
  if (contact !== null) await saveOutboxContact(tx, contact);
};

/**
 * One event into the outbox: subscriptions, the outbox's own dialog and contact state (so it
 * never waits for other read models), and deliveries. Runs inside the projection runner's
 * transaction, with its checkpoint, so a delivery is queued exactly when its event is
 * checkpointed, and the workers wake at that commit.
 */
export const applyOutboxEvent = async (
  tx: Tx,
  input: OutboxInput,
  links: PayloadLinks | null = null,
): Promise<void> => {
  const subscription = as<WebhookSubscriptionEvent>(webhookSubscriptionEventTypes, input);
  if (subscription !== null) return applySubscriptionEvent(tx, subscription, input.recordedAt);
  const contact = as<ContactEvent>(contactEventTypes, input);
  if (contact !== null) return applyContactEvent(tx, contact);
  const dialog = as<DialogEvent>(dialogEventTypes, input);
  if (dialog !== null && (await applyDialogEvent(tx, dialog, input, links))) {
    await wakeDeliveryWorkers(tx);
  }
};

/**
 * How the runner batches the outbox's events. A read model may wait 50 ms for more events to
 * share a transaction; a webhook cannot (message in → webhook out, docs/performance.md): the
 * batch commits as soon as no event is already at hand. Catch-up loses little, as a page of the
 * log arrives at once and fills a batch.
 */
export const webhookOutboxBatch = { quietMs: 1, maxWaitMs: 10 } as const;
/** nor wait 20 ms after a wake-up to read several commits at once: 2 ms still gathers a burst */
export const webhookOutboxGatherMs = 2;

/**
 * The outbox on the projection runner: one transaction per batch with its checkpoint, active in
 * one process at a time. Its tables live in the `webhooks` schema (outboxSchema.ts), not in
 * read_model: deliveries carry the workers' state and are history, so the outbox is never
 * rebuilt into a shadow schema (a rebuild would resend every webhook).
 */
export const webhookOutboxProjectionWith = (links: PayloadLinks | null): Projection => ({
  name: 'webhook_outbox',
  version: 1,
  tables: [],
  createTables: async (db) => {
    const { rows } = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
    if (rows[0]?.schema !== READ_MODEL) {
      throw new Error('the webhook outbox is never rebuilt: its deliveries are history');
    }
  },
  handlers: Object.fromEntries(
    outboxInputEventTypes.map((type) => [
      type,
      (db: ClientBase, event: Projected) => applyOutboxEvent(db, event, links),
    ]),
  ) as Handlers,
});

/** The outbox without attachment links (tests and tools that only need its name). */
export const webhookOutboxProjection: Projection = webhookOutboxProjectionWith(null);
