import type { Command } from '../shared/decider';
import type { ChannelId } from '../shared/ids';
import type { WebhookEventType } from './eventTypes';
import type { WebhookId } from './events';

export type SubscribeWebhook = Command<
  'SubscribeWebhook',
  {
    webhookId: WebhookId;
    url: string;
    events: readonly WebhookEventType[];
    channelId: ChannelId | null;
    secretFingerprint: string;
    now: string;
  }
>;
/** Absent fields stay as they are; `channelId: null` removes the channel filter. */
export type UpdateWebhook = Command<
  'UpdateWebhook',
  {
    url?: string;
    events?: readonly WebhookEventType[];
    channelId?: ChannelId | null;
    enabled?: boolean;
  }
>;
/** The endpoint answered 410 Gone: Parley stops sending until an admin enables it again. */
export type DisableGoneWebhook = Command<'DisableGoneWebhook', Record<string, never>>;
export type RotateWebhookSecret = Command<
  'RotateWebhookSecret',
  { secretFingerprint: string; now: string }
>;
export type RemoveWebhook = Command<'RemoveWebhook', { now: string }>;

export type WebhookCommand =
  SubscribeWebhook | UpdateWebhook | DisableGoneWebhook | RotateWebhookSecret | RemoveWebhook;
