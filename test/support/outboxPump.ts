import type { Pool } from 'pg';
import type { Checkpoint, EventStore } from '../../src/application/ports/eventStore';
import { applyOutboxEvent } from '../../src/projections/outbox/outboxProjection';

/**
 * Runs the webhook outbox over the log in the test process, a page per transaction, until
 * stopped. Stands in for the projection runner in tests written before it was on main.
 */
export const startOutboxPump = (pool: Pool, store: EventStore, intervalMs = 20) => {
  let running = true;
  let cursor: Checkpoint | null = null;
  const step = async (): Promise<boolean> => {
    const page = await store.readAll({ from: cursor, maxCount: 200 });
    if (page.events.length > 0) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const event of page.events) {
          await applyOutboxEvent(client, {
            type: event.type,
            data: event.data,
            streamId: event.streamId,
            revision: event.revision,
            recordedAt: event.metadata.recordedAt,
          });
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    }
    cursor = page.checkpoint ?? cursor;
    return page.events.length > 0;
  };
  const loop = (async () => {
    while (running) {
      // a failed page is read again, as a runner would; the test sees the outcome, not this
      const busy = await step().catch(() => false);
      if (!busy) await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
};
