import type { WebhookCommand } from '../../webhook/commands';
import type { WebhookSubscriptionEvent } from '../../webhook/events';
import { T0, T1, WEBHOOK } from './ids';
import { builderOf } from './builder';

const event = builderOf<WebhookSubscriptionEvent>();
const command = builderOf<WebhookCommand>();

export const FINGERPRINT = '1'.repeat(64);
export const NEW_FINGERPRINT = '2'.repeat(64);
export const HOOK_URL = 'https://hooks.example.com/parley';

export const webhookSubscribed = event('WebhookSubscribed', () => ({
  webhookId: WEBHOOK,
  url: HOOK_URL,
  events: ['message.created'],
  channelId: null,
  secretFingerprint: FINGERPRINT,
  subscribedAt: T0,
}));
export const webhookUpdated = event('WebhookUpdated', () => ({
  webhookId: WEBHOOK,
  url: HOOK_URL,
  events: ['message.created'],
  channelId: null,
  enabled: true,
  reason: 'changed',
}));
export const webhookSecretRotated = event('WebhookSecretRotated', () => ({
  webhookId: WEBHOOK,
  secretFingerprint: NEW_FINGERPRINT,
  previousFingerprint: FINGERPRINT,
  rotatedAt: T1,
}));
export const webhookRemoved = event('WebhookRemoved', () => ({
  webhookId: WEBHOOK,
  removedAt: T1,
}));

export const subscribeWebhook = command('SubscribeWebhook', () => ({
  webhookId: WEBHOOK,
  url: HOOK_URL,
  events: ['message.created'],
  channelId: null,
  secretFingerprint: FINGERPRINT,
  now: T0,
}));
export const updateWebhook = command('UpdateWebhook', () => ({}));
export const disableGoneWebhook = command('DisableGoneWebhook', () => ({}));
export const rotateWebhookSecret = command('RotateWebhookSecret', () => ({
  secretFingerprint: NEW_FINGERPRINT,
  now: T1,
}));
export const removeWebhook = command('RemoveWebhook', () => ({ now: T1 }));
