import type { WebhookSubscriptionEvent } from '../../domain/webhook/events';
import type { Tx } from './outboxState';

/**
 * A subscription's own events → webhooks.subscriptions. The table is what the outbox matches events against
 * and what the workers send to, so both follow the log's order of subscription changes.
 */
export const applySubscriptionEvent = async (
  tx: Tx,
  event: WebhookSubscriptionEvent,
  recordedAt: string,
): Promise<void> => {
  switch (event.type) {
    case 'WebhookSubscribed': {
      const d = event.data;
      await tx.query(
        `INSERT INTO webhooks.subscriptions (webhook_id, url, events, channel_id, enabled,
           secret_fingerprint, created_at, updated_at)
         VALUES ($1, $2, $3, $4, true, $5, $6, $6)
         ON CONFLICT (webhook_id) DO NOTHING`,
        [d.webhookId, d.url, d.events, d.channelId, d.secretFingerprint, d.subscribedAt],
      );
      return;
    }
    case 'WebhookUpdated': {
      const d = event.data;
      await tx.query(
        `UPDATE webhooks.subscriptions
            SET url = $2, events = $3, channel_id = $4, enabled = $5, updated_at = $6,
                disabled_reason = CASE WHEN $5 THEN NULL
                                       WHEN $7 = 'endpoint_gone' THEN 'endpoint_gone'
                                       ELSE 'disabled' END
          WHERE webhook_id = $1`,
        [d.webhookId, d.url, d.events, d.channelId, d.enabled, recordedAt, d.reason],
      );
      return;
    }
    case 'WebhookSecretRotated': {
      const d = event.data;
      await tx.query(
        `UPDATE webhooks.subscriptions
            SET secret_fingerprint = $2, previous_fingerprint = $3, rotated_at = $4, updated_at = $4
          WHERE webhook_id = $1`,
        [d.webhookId, d.secretFingerprint, d.previousFingerprint, d.rotatedAt],
      );
      return;
    }
    case 'WebhookRemoved': {
      // nothing more is sent for a removed subscription; its delivery log stays for audit
      await tx.query(
        `UPDATE webhooks.deliveries SET status = 'cancelled', finished_at = $2, leased_until = NULL
          WHERE webhook_id = $1 AND status = 'pending'`,
        [event.data.webhookId, event.data.removedAt],
      );
      await tx.query('DELETE FROM webhooks.subscriptions WHERE webhook_id = $1', [
        event.data.webhookId,
      ]);
      return;
    }
  }
};
