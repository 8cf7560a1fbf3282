import type { ClientBase } from 'pg';
import type { Handlers, Projected, Projection } from '../projection';
import { READ_MODEL } from '../schema';
import { applyOutboxEvent, outboxEventTypes } from './outboxProjection';

/**
 * The webhook outbox on the projection runner: one transaction per batch with its checkpoint,
 * active in one process at a time. Its tables live in the `webhooks` schema (created by a
 * migration), not in read_model: deliveries carry the workers' state and are history, so the
 * outbox is never rebuilt into a shadow schema (a rebuild would resend every webhook).
 */
export const webhookOutboxProjection: Projection = {
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
    outboxEventTypes.map((type) => [
      type,
      (db: ClientBase, event: Projected) => applyOutboxEvent(db, event),
    ]),
  ) as Handlers,
};
