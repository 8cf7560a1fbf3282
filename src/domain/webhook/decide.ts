import { absurd } from 'fp-ts/function';
import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import type { Decider } from '../shared/decider';
import type { UpdateWebhook, WebhookCommand } from './commands';
import { canonicalEventTypes } from './eventTypes';
import type { WebhookSubscriptionEvent } from './events';
import { evolve, initialState, type Webhook } from './state';

type Decision = Either<DomainError, readonly WebhookSubscriptionEvent[]>;
// status 'active', checked by onActive
type Active = Exclude<Webhook, { status: 'absent' }>;

const notFound = (): Decision => left(domainError('E_WEBHOOK_NOT_FOUND', 'webhook not found'));
const noEvents = (): Decision =>
  left(domainError('E_VALIDATION', 'a webhook needs at least one event type'));

const onActive = (state: Webhook, decision: (webhook: Active) => Decision): Decision =>
  state.status === 'active' ? decision(state) : notFound();

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const update = ({ data }: UpdateWebhook, webhook: Active): Decision => {
  const events = data.events === undefined ? webhook.events : canonicalEventTypes(data.events);
  if (events.length === 0) return noEvents();
  const after = {
    url: data.url ?? webhook.url,
    events,
    channelId: data.channelId === undefined ? webhook.channelId : data.channelId,
    enabled: data.enabled ?? webhook.enabled,
  };
  const unchanged =
    after.url === webhook.url &&
    sameList(after.events, webhook.events) &&
    after.channelId === webhook.channelId &&
    after.enabled === webhook.enabled;
  return unchanged
    ? right([])
    : right([
        {
          type: 'WebhookUpdated',
          data: { webhookId: webhook.webhookId, ...after, reason: 'changed' },
        },
      ]);
};

export const decide = (command: WebhookCommand, state: Webhook): Decision => {
  switch (command.type) {
    case 'SubscribeWebhook': {
      if (state.status !== 'absent')
        return left(domainError('E_ALREADY_EXISTS', 'webhook already exists'));
      const { now, ...subscription } = command.data;
      const events = canonicalEventTypes(subscription.events);
      if (events.length === 0) return noEvents();
      return right([
        { type: 'WebhookSubscribed', data: { ...subscription, events, subscribedAt: now } },
      ]);
    }
    case 'UpdateWebhook':
      return onActive(state, (webhook) => update(command, webhook));
    case 'DisableGoneWebhook':
      // a 410 that arrives after removal or after someone disabled it changes nothing
      return state.status === 'active' && state.enabled
        ? right([
            {
              type: 'WebhookUpdated',
              data: {
                webhookId: state.webhookId,
                url: state.url,
                events: state.events,
                channelId: state.channelId,
                enabled: false,
                reason: 'endpoint_gone',
              },
            },
          ])
        : right([]);
    case 'RotateWebhookSecret':
      return onActive(state, (webhook) =>
        right([
          {
            type: 'WebhookSecretRotated',
            data: {
              webhookId: webhook.webhookId,
              secretFingerprint: command.data.secretFingerprint,
              previousFingerprint: webhook.secretFingerprint,
              rotatedAt: command.data.now,
            },
          },
        ]),
      );
    case 'RemoveWebhook':
      return onActive(state, (webhook) =>
        right([
          {
            type: 'WebhookRemoved',
            data: { webhookId: webhook.webhookId, removedAt: command.data.now },
          },
        ]),
      );
    default:
      return absurd(command);
  }
};

export const webhookDecider: Decider<WebhookCommand, WebhookSubscriptionEvent, Webhook> = {
  initialState,
  evolve,
  decide,
};
