import type { Event } from '../shared/decider';
import type { ChannelId } from '../shared/ids';
import type { WebhookEventType } from './eventTypes';

export type WebhookId = string;

/**
 * Signing secrets never enter the log: `secretFingerprint` is the SHA-256 (hex) of the secret,
 * which is kept in PostgreSQL (webhooks.secrets) for the delivery workers to sign with.
 */
export type WebhookSubscribed = Event<
  'WebhookSubscribed',
  {
    webhookId: WebhookId;
    url: string;
    events: readonly WebhookEventType[];
    /** only dialogs of this channel; null: every channel */
    channelId: ChannelId | null;
    secretFingerprint: string;
    subscribedAt: string;
  }
>;
/**
 * The subscription after the change, whole. `reason` says why: `changed` by an admin, or
 * `endpoint_gone` when the endpoint answered 410 and Parley disabled it (actor `system`).
 */
export type WebhookUpdated = Event<
  'WebhookUpdated',
  {
    webhookId: WebhookId;
    url: string;
    events: readonly WebhookEventType[];
    channelId: ChannelId | null;
    enabled: boolean;
    reason: 'changed' | 'endpoint_gone';
  }
>;
export type WebhookSecretRotated = Event<
  'WebhookSecretRotated',
  {
    webhookId: WebhookId;
    secretFingerprint: string;
    previousFingerprint: string;
    rotatedAt: string;
  }
>;
export type WebhookRemoved = Event<'WebhookRemoved', { webhookId: WebhookId; removedAt: string }>;

/** The domain events of a webhook subscription's stream (not the webhook event types it asks for). */
export type WebhookSubscriptionEvent =
  WebhookSubscribed | WebhookUpdated | WebhookSecretRotated | WebhookRemoved;

export const webhookSubscriptionEventTypes: readonly WebhookSubscriptionEvent['type'][] = [
  'WebhookSubscribed',
  'WebhookUpdated',
  'WebhookSecretRotated',
  'WebhookRemoved',
];
