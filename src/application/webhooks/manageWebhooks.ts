import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { channelDecider } from '../../domain/channel/decide';
import { domainError, type DomainError } from '../../domain/errors';
import type { ChannelId } from '../../domain/shared/ids';
import type { UpdateWebhook } from '../../domain/webhook/commands';
import { webhookDecider } from '../../domain/webhook/decide';
import type { WebhookEventType } from '../../domain/webhook/eventTypes';
import type { WebhookSubscriptionEvent } from '../../domain/webhook/events';
import type { Webhook } from '../../domain/webhook/state';
import type { CommandDeps, Handled } from '../commandHandler';
import type { CommandContext } from '../context';
import type { WebhookSecrets } from '../ports/webhookSecrets';
import type { WebhookUrlGuard } from '../ports/webhookUrlGuard';
import { streams } from '../streams';
import { newWebhookSecret, secretFingerprint } from './webhookSecret';

export type WebhookDeps = CommandDeps &
  Readonly<{ secrets: WebhookSecrets; urlGuard: WebhookUrlGuard }>;

type Handled_ = Handled<WebhookSubscriptionEvent, Webhook>;
export type WithSecret = Readonly<{ webhookId: string; secret: string; handled: Handled_ }>;

const checkUrl = async (deps: WebhookDeps, url: string): Promise<DomainError | null> => {
  const refusal = await deps.urlGuard.refusal(url);
  return refusal === null
    ? null
    : domainError('E_WEBHOOK_URL_FORBIDDEN', `webhooks may not be sent to ${url}: ${refusal}`);
};

const checkChannel = async (
  deps: WebhookDeps,
  channelId: ChannelId | null | undefined,
): Promise<DomainError | null> => {
  if (channelId === null || channelId === undefined) return null;
  const { state } = await deps.commands.load(streams.channel(channelId), channelDecider);
  return state.status === 'active'
    ? null
    : domainError('E_CHANNEL_NOT_FOUND', 'the channel filter names no live channel');
};

/**
 * A new secret, kept before the event that names its fingerprint: an event must never name a
 * secret the workers cannot find.
 */
const keepNewSecret = async (deps: WebhookDeps, webhookId: string) => {
  const secret = newWebhookSecret();
  const fingerprint = secretFingerprint(secret);
  await deps.secrets.keep(webhookId, fingerprint, secret);
  return { secret, fingerprint };
};

/** Checks the URL (refused addresses) and the channel filter, then records the subscription. */
export const subscribeWebhook = async (
  deps: WebhookDeps,
  input: Readonly<{
    url: string;
    events: readonly WebhookEventType[];
    channelId: ChannelId | null;
  }>,
  context: CommandContext,
): Promise<Either<DomainError, WithSecret>> => {
  const refused = (await checkUrl(deps, input.url)) ?? (await checkChannel(deps, input.channelId));
  if (refused !== null) return left(refused);
  const webhookId = deps.ids.objectId();
  const { secret, fingerprint } = await keepNewSecret(deps, webhookId);
  const result = await deps.commands.handle(
    streams.webhook(webhookId),
    webhookDecider,
    {
      type: 'SubscribeWebhook',
      data: {
        webhookId,
        url: input.url,
        events: input.events,
        channelId: input.channelId,
        secretFingerprint: fingerprint,
        now: context.now.toISOString(),
      },
    },
    context,
  );
  if (isLeft(result)) {
    await deps.secrets.forget(webhookId);
    return result;
  }
  return right({ webhookId, secret, handled: result.right });
};

export const updateWebhook = async (
  deps: WebhookDeps,
  webhookId: string,
  changes: UpdateWebhook['data'],
  context: CommandContext,
): Promise<Either<DomainError, Handled_>> => {
  const refused =
    (changes.url === undefined ? null : await checkUrl(deps, changes.url)) ??
    (await checkChannel(deps, changes.channelId));
  if (refused !== null) return left(refused);
  return deps.commands.handle(
    streams.webhook(webhookId),
    webhookDecider,
    { type: 'UpdateWebhook', data: changes },
    context,
  );
};

/** The endpoint answered 410 Gone: disabled by `system`, recorded like any other change. */
export const disableGoneWebhook = (
  deps: CommandDeps,
  webhookId: string,
  context: CommandContext,
): Promise<Either<DomainError, Handled_>> =>
  deps.commands.handle(
    streams.webhook(webhookId),
    webhookDecider,
    { type: 'DisableGoneWebhook', data: {} },
    context,
  );

/**
 * A new secret, shown once. The previous one keeps signing alongside for a grace period
 * (Standard Webhooks allows several signatures), so receivers can switch without losing events.
 */
export const rotateWebhookSecret = async (
  deps: WebhookDeps,
  webhookId: string,
  context: CommandContext,
): Promise<Either<DomainError, WithSecret>> => {
  const { state } = await deps.commands.load(streams.webhook(webhookId), webhookDecider);
  if (state.status !== 'active')
    return left(domainError('E_WEBHOOK_NOT_FOUND', 'webhook not found'));
  const { secret, fingerprint } = await keepNewSecret(deps, webhookId);
  const result = await deps.commands.handle(
    streams.webhook(webhookId),
    webhookDecider,
    {
      type: 'RotateWebhookSecret',
      data: { secretFingerprint: fingerprint, now: context.now.toISOString() },
    },
    context,
  );
  if (isLeft(result)) return result;
  const rotated = result.right.events.find((e) => e.type === 'WebhookSecretRotated');
  if (rotated !== undefined)
    await deps.secrets.retainOnly(webhookId, [fingerprint, rotated.data.previousFingerprint]);
  return right({ webhookId, secret, handled: result.right });
};

/** Removes the subscription and forgets its secrets; the log keeps only fingerprints. */
export const removeWebhook = async (
  deps: WebhookDeps,
  webhookId: string,
  context: CommandContext,
): Promise<Either<DomainError, Handled_>> => {
  const result = await deps.commands.handle(
    streams.webhook(webhookId),
    webhookDecider,
    { type: 'RemoveWebhook', data: { now: context.now.toISOString() } },
    context,
  );
  if (!isLeft(result)) await deps.secrets.forget(webhookId);
  return result;
};

export const loadWebhook = async (
  deps: Pick<CommandDeps, 'commands'>,
  webhookId: string,
): Promise<Webhook> => (await deps.commands.load(streams.webhook(webhookId), webhookDecider)).state;
