import type { Pool } from 'pg';
import type { WebhookSecrets } from '../../application/ports/webhookSecrets';
import { keyIdOf, open, seal, type MasterKey } from '../keys/envelope';

/** Binds a sealed secret to its webhook: a ciphertext moved to another row does not open. */
const aadOf = (webhookId: string): string => `webhooks.secrets:${webhookId}`;

/** Opens a stored secret with the keys given (current first, then the previous one). */
export const secretOpener =
  (keys: readonly MasterKey[]) =>
  (webhookId: string, stored: string): string =>
    open(keys, stored, aadOf(webhookId));

/**
 * Secrets in webhooks.secrets, sealed under the master key (keys/envelope.ts). A row is written
 * before the event naming its fingerprint and deleted when the subscription is removed, so the
 * secret itself can be forgotten for good while the immutable log keeps only the fingerprint.
 */
export const postgresWebhookSecrets = (pool: Pool, key: MasterKey): WebhookSecrets => ({
  keep: async (webhookId, fingerprint, secret) => {
    await pool.query(
      `INSERT INTO webhooks.secrets (webhook_id, fingerprint, secret) VALUES ($1, $2, $3)
       ON CONFLICT (webhook_id, fingerprint) DO NOTHING`,
      [webhookId, fingerprint, seal(key, secret, aadOf(webhookId))],
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

export type SecretCounts = Readonly<{ plaintext: number; byKey: Readonly<Record<string, number>> }>;

/** How many secrets are plaintext and how many are sealed under each key id. */
export const secretCounts = async (pool: Pool): Promise<SecretCounts> => {
  const { rows } = await pool.query<{ secret: string }>('SELECT secret FROM webhooks.secrets');
  const byKey: Record<string, number> = {};
  let plaintext = 0;
  for (const { secret } of rows) {
    const id = keyIdOf(secret);
    if (id === null) plaintext += 1;
    else byKey[id] = (byKey[id] ?? 0) + 1;
  }
  return { plaintext, byKey };
};

/**
 * Seals under `key` every plaintext row (from before encryption) and, with `readable`, every row
 * of another key (rotation). Row by row, each in place, so that it is idempotent and running
 * processes holding both keys keep reading throughout. Returns the rows rewritten.
 */
export const sealAllUnder = async (
  pool: Pool,
  key: MasterKey,
  readable: readonly MasterKey[] | 'plaintext only',
): Promise<number> => {
  const { rows } = await pool.query<{ webhook_id: string; fingerprint: string; secret: string }>(
    'SELECT webhook_id, fingerprint, secret FROM webhooks.secrets',
  );
  let rewritten = 0;
  for (const row of rows) {
    const id = keyIdOf(row.secret);
    if (id === key.id || (id !== null && readable === 'plaintext only')) continue;
    const plain =
      id === null || readable === 'plaintext only'
        ? row.secret
        : open(readable, row.secret, aadOf(row.webhook_id));
    const { rowCount } = await pool.query(
      'UPDATE webhooks.secrets SET secret = $4 WHERE webhook_id = $1 AND fingerprint = $2 AND secret = $3',
      [row.webhook_id, row.fingerprint, row.secret, seal(key, plain, aadOf(row.webhook_id))],
    );
    rewritten += rowCount ?? 0;
  }
  return rewritten;
};
