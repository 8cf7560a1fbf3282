/**
 * Where webhook signing secrets live. They must be readable to sign deliveries, so they are not
 * hashed; and they must not sit in the immutable log, so events record only a fingerprint.
 */
export interface WebhookSecrets {
  /** Keeps a new secret; written before the event that names its fingerprint. */
  keep(webhookId: string, fingerprint: string, secret: string): Promise<void>;
  /** Forgets every secret of the webhook but these (after a rotation). */
  retainOnly(webhookId: string, fingerprints: readonly string[]): Promise<void>;
  /** Forgets every secret of the webhook (after removal). */
  forget(webhookId: string): Promise<void>;
}
