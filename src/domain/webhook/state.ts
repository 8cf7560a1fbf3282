import type { ChannelId } from '../shared/ids';
import type { WebhookEventType } from './eventTypes';
import type { WebhookSubscriptionEvent, WebhookId } from './events';

export type Webhook =
  | Readonly<{ status: 'absent' }>
  | Readonly<{
      status: 'active' | 'removed';
      webhookId: WebhookId;
      url: string;
      events: readonly WebhookEventType[];
      channelId: ChannelId | null;
      enabled: boolean;
      /** set when Parley disabled it because the endpoint answered 410 */
      disabledReason: 'endpoint_gone' | null;
      secretFingerprint: string;
      createdAt: string;
    }>;

export const initialState = (): Webhook => ({ status: 'absent' });

export const evolve = (state: Webhook, event: WebhookSubscriptionEvent): Webhook => {
  if (event.type === 'WebhookSubscribed') {
    const { webhookId, url, events, channelId, secretFingerprint, subscribedAt } = event.data;
    return {
      status: 'active',
      webhookId,
      url,
      events,
      channelId,
      enabled: true,
      disabledReason: null,
      secretFingerprint,
      createdAt: subscribedAt,
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'WebhookUpdated': {
      const { url, events, channelId, enabled, reason } = event.data;
      const disabledReason = !enabled && reason === 'endpoint_gone' ? 'endpoint_gone' : null;
      return { ...state, url, events, channelId, enabled, disabledReason };
    }
    case 'WebhookSecretRotated':
      return { ...state, secretFingerprint: event.data.secretFingerprint };
    case 'WebhookRemoved':
      return { ...state, status: 'removed' };
  }
};
