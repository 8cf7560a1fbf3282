/**
 * The webhook outbox: where one webhook starts. Its path, as in docs/webhooks.md:
 *
 * 1. event → outbox rows, on the projection runner and in its checkpoint's transaction, a batch
 *    at a time (outboxBatch.ts): a dialog event evolves the outbox's dialog (outboxState.ts, on
 *    the domain's evolve); when it makes a webhook event type someone subscribed to (payload.ts,
 *    subscriptionTable.ts), the body is serialised once into webhooks.messages, one
 *    webhooks.deliveries row is queued per subscription, and the workers are woken at commit
 *    (outboxSchema.ts: tables and channel).
 * 2. claim: a delivery worker (infrastructure/webhooks/deliveryWorker.ts) leases the head of a
 *    (subscription, dialog) line (deliveryQueue.ts, FOR UPDATE SKIP LOCKED).
 * 3. signed delivery: signature.ts signs the stored body; sendWebhook.ts POSTs it to an address
 *    urlGuard.ts checks at that moment.
 * 4. log: retrySchedule.ts says what the answer means; deliveryQueue.ts records the attempt in
 *    webhooks.attempts and moves the delivery on (delivered, due again later, or dead-lettered).
 */
import type { ClientBase } from 'pg';
import { contactEventTypes } from '../../domain/contact/events';
import { dialogEventTypes } from '../../domain/dialog/events';
import { webhookSubscriptionEventTypes } from '../../domain/webhook/events';
import type { Handlers, Projected, Projection } from '../projection';
import { READ_MODEL } from '../schema';
import { applyOutboxEvents, type OutboxInput } from './outboxBatch';
import type { Tx } from './outboxState';
import type { PayloadLinks } from './payload';

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

/** One event into the outbox (outboxBatch.ts), in the caller's transaction. */
export const applyOutboxEvent = (
  tx: Tx,
  input: OutboxInput,
  links: PayloadLinks | null = null,
): Promise<void> => applyOutboxEvents(tx, [input], links);

/**
 * How the runner batches the outbox's events. A read model may wait 50 ms for more events to
 * share a transaction; a webhook cannot (message in → webhook out, docs/performance.md): the
 * batch commits as soon as no event is already at hand. Catch-up loses little, as a page of the
 * log arrives at once and fills a batch, of 2,000 rather than a read model's 500: each of its
 * batches waits for a WAL flush and reads between its writes, and at 500 those costs a batch
 * were most of its catch-up (at the head 45.3–57.1 → 24.9–27.9 s on the bench's log). Live
 * batches are a few events whatever the bound.
 */
export const webhookOutboxBatch = { quietMs: 1, maxWaitMs: 10, maxEvents: 2_000 } as const;
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
  // the runner's batch in one go: a round trip per batch, not several per event
  applyBatch: (db, events) => applyOutboxEvents(db, events, links),
  neverRebuilt: true,
});

/** The outbox without attachment links (tests and tools that only need its name). */
export const webhookOutboxProjection: Projection = webhookOutboxProjectionWith(null);
