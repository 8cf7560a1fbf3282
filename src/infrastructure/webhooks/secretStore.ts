import type { Pool } from 'pg';
import type { WebhookSecrets } from '../../application/ports/webhookSecrets';

/**
 * Secrets in webhooks.secrets. A row is written before the event naming its fingerprint and
 * deleted when the subscription is removed, so the secret itself can be forgotten for good
 * while the immutable log keeps only the fingerprint.
 */
export const postgresWebhookSecrets = (pool: Pool): WebhookSecrets => ({
  keep: async (webhookId, fingerprint, secret) => {
    await pool.query(
      `INSERT INTO webhooks.secrets (webhook_id, fingerprint, secret) VALUES ($1, $2, $3)
       ON CONFLICT (webhook_id, fingerprint) DO NOTHING`,
      [webhookId, fingerprint, secret],
    );
  },
  retainOnly: async (webhookId, fingerprints) => {
    await pool.query(
      'DELETE FROM webhooks.secrets WHERE webhook_id = $1 AND NOT (fingerprint = ANY ($2::text[]))',
      [webhookId, fingerprints],
    );
  },
  forget: async (webhookId) => {
    await pool.query('DELETE FROM webhooks.secrets WHERE webhook_id = $1', [webhookId]);
  },
});
