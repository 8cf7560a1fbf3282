import { contactEventTypes, type ContactEvent } from '../../domain/contact/events';
import { dialogEventTypes, type DialogEvent } from '../../domain/dialog/events';
import type { WebhookEventType } from '../../domain/webhook/eventTypes';
import {
  webhookSubscriptionEventTypes,
  type WebhookSubscriptionEvent,
} from '../../domain/webhook/events';
import type { Projected } from '../projection';
import { eraseFromOutbox } from './outboxErasure';
import { wakeDeliveryWorkers } from './outboxSchema';
import {
  evolveContact,
  evolveDialog,
  loadOutboxContacts,
  loadOutboxDialogs,
  saveOutboxContacts,
  saveOutboxDialogs,
  type OutboxContact,
  type OutboxDialog,
  type Tx,
} from './outboxState';
import { webhookMessageId, webhookPayload, webhookTriggerOf, type PayloadLinks } from './payload';
import { applySubscriptionEvent } from './subscriptionTable';

/** An event as the outbox takes it: any type (the ones it does not read pass it by). */
export type OutboxInput = Omit<Projected, 'type' | 'data'> &
  Readonly<{ type: string; data: unknown }>;

const as = <T extends { type: string }>(types: readonly string[], input: OutboxInput) =>
  types.includes(input.type) ? ({ type: input.type, data: input.data } as unknown as T) : null;

type Subscription = Readonly<{ webhookId: string; events: string[]; channelId: string | null }>;

/**
 * One batch of the outbox's events, applied as one event at a time would be but with a round
 * trip per batch instead of several per event: the dialogs and contacts the batch names are
 * read at once and evolved in memory, and the rows it makes are written together at the end
 * (a catch-up of the 810,000-event bench log spent its time in those round trips,
 * docs/performance.md). What is queued is decided per event, in log order, by the live rule:
 * a subscription or an erasure first writes what came before it, so it meets the tables as it
 * would have, and the state after it is read again.
 */
class OutboxBatch {
  private readonly dialogs = new Map<string, OutboxDialog | null>();
  private readonly contacts = new Map<string, OutboxContact | null>();
  private readonly changedDialogs = new Set<string>();
  private readonly changedContacts = new Set<string>();
  private readonly messages: {
    id: string;
    type: WebhookEventType;
    dialogId: string;
    body: string;
    at: string;
  }[] = [];
  /** one per (subscription, webhook event), in the order the live path queues them */
  private readonly deliveries: { webhookId: string; messageId: string; dialogId: string }[] = [];
  private subscriptions: readonly Subscription[] | null = null;
  /** contacts the batch's dialog events name, not read yet */
  private readonly payloadContacts = new Set<string>();
  private queued = false;

  constructor(
    private readonly tx: Tx,
    private readonly links: PayloadLinks | null,
  ) {}

  async apply(inputs: readonly OutboxInput[]): Promise<void> {
    await this.read(inputs);
    for (const input of inputs) {
      const subscription = as<WebhookSubscriptionEvent>(webhookSubscriptionEventTypes, input);
      if (subscription !== null) {
        await this.write();
        await applySubscriptionEvent(this.tx, subscription, input.recordedAt);
        this.subscriptions = null;
        continue;
      }
      const contact = as<ContactEvent>(contactEventTypes, input);
      if (contact !== null) {
        await this.applyContactEvent(contact);
        continue;
      }
      const dialog = as<DialogEvent>(dialogEventTypes, input);
      if (dialog !== null) await this.applyDialogEvent(dialog, input);
    }
    await this.write();
    // at commit: the workers find the batch's deliveries
    if (this.queued) await wakeDeliveryWorkers(this.tx);
  }

  /**
   * The dialogs and contacts the events name, in two statements. The contacts of dialog
   * events only a payload needs: they are read with the first payload's contact, if any.
   */
  private async read(inputs: readonly OutboxInput[]): Promise<void> {
    const dialogIds = new Set<string>();
    const contactIds = new Set<string>();
    for (const input of inputs) {
      const { dialogId, contactId } = (input.data ?? {}) as {
        dialogId?: unknown;
        contactId?: unknown;
      };
      const contact = typeof contactId === 'string' ? contactId : null;
      if (contactEventTypes.includes(input.type as never)) {
        if (contact !== null) contactIds.add(contact);
      } else if (dialogEventTypes.includes(input.type as never)) {
        if (typeof dialogId === 'string') dialogIds.add(dialogId);
        if (contact !== null) this.payloadContacts.add(contact);
      }
    }
    await this.readDialogs([...dialogIds]);
    await this.readContacts([...contactIds]);
  }

  private async readDialogs(ids: readonly string[]): Promise<void> {
    const missing = ids.filter((id) => !this.dialogs.has(id));
    if (missing.length === 0) return;
    for (const id of missing) this.dialogs.set(id, null);
    for (const d of await loadOutboxDialogs(this.tx, missing)) this.dialogs.set(d.dialogId, d);
  }

  private async readContacts(ids: readonly string[]): Promise<void> {
    const missing = ids.filter((id) => !this.contacts.has(id));
    if (missing.length === 0) return;
    for (const id of missing) this.contacts.set(id, null);
    for (const c of await loadOutboxContacts(this.tx, missing)) this.contacts.set(c.contactId, c);
  }

  private async contact(id: string): Promise<OutboxContact | null> {
    if (!this.contacts.has(id)) {
      await this.readContacts([id, ...this.payloadContacts]);
      this.payloadContacts.clear();
    }
    return this.contacts.get(id) ?? null;
  }

  /** The contact a dialog's contact id stands for now: merged contacts resolve to the survivor. */
  private async resolveContact(contactId: string): Promise<OutboxContact | null> {
    let contact = await this.contact(contactId);
    // merges chain rarely; the bound only guards against a cycle in bad data
    for (let hop = 0; hop < 16 && contact?.survivorId; hop++) {
      const survivor = await this.contact(contact.survivorId);
      if (survivor === null) break;
      contact = survivor;
    }
    return contact;
  }

  /** Enabled subscriptions that asked for this event type, for this dialog's channel. */
  private async subscribersOf(type: WebhookEventType, channelId: string): Promise<string[]> {
    if (this.subscriptions === null) {
      const { rows } = await this.tx.query<{
        webhook_id: string;
        events: string[];
        channel_id: string | null;
      }>(
        `SELECT webhook_id, events, channel_id FROM webhooks.subscriptions
          WHERE enabled ORDER BY webhook_id`,
        [],
      );
      this.subscriptions = rows.map((r) => ({
        webhookId: r.webhook_id,
        events: r.events,
        channelId: r.channel_id,
      }));
    }
    return this.subscriptions
      .filter((s) => s.events.includes(type) && (s.channelId === null || s.channelId === channelId))
      .map((s) => s.webhookId);
  }

  private async applyContactEvent(event: ContactEvent): Promise<void> {
    if (event.type === 'ContactErased') {
      // the erasure rewrites stored rows (bodies, dialogs): they must hold the batch so far,
      // and what it blanked is read again
      await this.write();
      await eraseFromOutbox(this.tx, event.data.erasedContactIds);
      this.dialogs.clear();
      this.contacts.clear();
    }
    const contact = evolveContact(await this.contact(event.data.contactId), event);
    if (contact === null) return;
    this.contacts.set(contact.contactId, contact);
    this.changedContacts.add(contact.contactId);
  }

  /**
   * A dialog event: update the outbox's dialog, and when it makes a webhook event that someone
   * subscribed to, keep the payload once and one delivery per subscription.
   */
  private async applyDialogEvent(event: DialogEvent, input: OutboxInput): Promise<void> {
    await this.readDialogs([event.data.dialogId]);
    const dialog = evolveDialog(this.dialogs.get(event.data.dialogId) ?? null, event);
    if (dialog === null) return;
    this.dialogs.set(dialog.dialogId, dialog);
    this.changedDialogs.add(dialog.dialogId);
    // an imported history's events keep the outbox's dialog current but send nothing
    if (input.quiet === true) return;
    const trigger = webhookTriggerOf(event);
    if (trigger === null) return;
    const subscribers = await this.subscribersOf(trigger.type, dialog.channelId);
    if (subscribers.length === 0) return;
    const id = webhookMessageId(dialog.dialogId, input.revision);
    const contactId = trigger.message?.contactId ?? dialog.contactId;
    const body = webhookPayload({
      id,
      type: trigger.type,
      timestamp: input.recordedAt,
      dialog,
      message: trigger.message,
      ...(trigger.statusUpdate === undefined ? {} : { statusUpdate: trigger.statusUpdate }),
      contact: await this.resolveContact(contactId),
      changes: trigger.changes,
      links: this.links,
    });
    this.messages.push({
      id,
      type: trigger.type,
      dialogId: dialog.dialogId,
      body,
      at: input.recordedAt,
    });
    for (const webhookId of subscribers)
      this.deliveries.push({ webhookId, messageId: id, dialogId: dialog.dialogId });
    this.queued = true;
  }

  /** What the events so far changed, a statement per table. */
  private async write(): Promise<void> {
    const { tx } = this;
    await saveOutboxDialogs(
      tx,
      [...this.changedDialogs].flatMap((id) => this.dialogs.get(id) ?? []),
    );
    await saveOutboxContacts(
      tx,
      [...this.changedContacts].flatMap((id) => this.contacts.get(id) ?? []),
    );
    this.changedDialogs.clear();
    this.changedContacts.clear();
    if (this.messages.length > 0) {
      // ON CONFLICT: replaying the log never queues an event twice
      await tx.query(
        `INSERT INTO webhooks.messages (message_id, event_type, dialog_id, body, created_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
         ON CONFLICT (message_id) DO NOTHING`,
        [
          this.messages.map((m) => m.id),
          this.messages.map((m) => m.type),
          this.messages.map((m) => m.dialogId),
          this.messages.map((m) => m.body),
          this.messages.map((m) => m.at),
        ],
      );
      this.messages.length = 0;
    }
    if (this.deliveries.length > 0) {
      // in the order of the log: a line's head is its smallest delivery_id (deliveryQueue.ts)
      await tx.query(
        `INSERT INTO webhooks.deliveries (webhook_id, message_id, dialog_id, status, next_attempt_at)
         SELECT w, m, d, 'pending', now()
           FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS u(w, m, d, n)
          ORDER BY n
         ON CONFLICT (webhook_id, message_id) DO NOTHING`,
        [
          this.deliveries.map((d) => d.webhookId),
          this.deliveries.map((d) => d.messageId),
          this.deliveries.map((d) => d.dialogId),
        ],
      );
      this.deliveries.length = 0;
    }
  }
}

/**
 * Events into the outbox, in log order, in the caller's transaction (the projection runner's,
 * with its checkpoint, so a delivery is queued exactly when its event is checkpointed and the
 * workers wake at that commit): subscriptions, the outbox's own dialog and contact state (so it
 * never waits for other read models), and deliveries.
 */
export const applyOutboxEvents = (
  tx: Tx,
  inputs: readonly OutboxInput[],
  links: PayloadLinks | null = null,
): Promise<void> => new OutboxBatch(tx, links).apply(inputs);
