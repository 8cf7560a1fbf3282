import Router from '@koa/router';
import type * as t from 'io-ts';
import type { Context } from 'koa';
import { positionOf } from '../../../application/position';
import { streams } from '../../../application/streams';
import {
  loadWebhook,
  removeWebhook,
  rotateWebhookSecret,
  subscribeWebhook,
  updateWebhook,
  type WebhookDeps,
} from '../../../application/webhooks/manageWebhooks';
import type { Webhook } from '../../../domain/webhook/state';
import type { CommandDeps, ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { listSubscriptions } from '../../webhooks/deliveryLog';
import { webhookUrlGuard } from '../../webhooks/urlGuard';
import { requireAdmin, staffAuth, type StaffState } from '../auth/staffAuth';
import { decodeOrThrow } from '../codecs/decode';
import { subscribeBody, updateBody } from '../codecs/webhook';
import {
  rotatedAnswer,
  subscribedAnswer,
  webhookAnswer,
  webhookListAnswer,
} from '../codecs/webhookAnswers';
import { serve, type RouteContract } from '../contract';
import { HttpError } from '../httpError';
import { named } from '../openapi/fromContracts';
import { positionHeader } from '../openapi/schema';
import { jsonBody } from '../middleware/jsonBody';
import { pathId } from '../pathId';
import { commandContext, orThrow, setPosition } from '../respond';

export const webhookId = (id: string | undefined): string =>
  pathId(id, 'E_WEBHOOK_NOT_FOUND', 'webhook not found');

export const webhookView = (
  webhook: Exclude<Webhook, { status: 'absent' }>,
): t.TypeOf<typeof webhookAnswer> => ({
  id: webhook.webhookId,
  url: webhook.url,
  events: webhook.events,
  channel_id: webhook.channelId,
  enabled: webhook.enabled,
  disabled_reason: webhook.enabled ? null : (webhook.disabledReason ?? 'disabled'),
  created_at: webhook.createdAt,
});

const liveView = (webhook: Webhook) => {
  if (webhook.status !== 'active') throw new HttpError('E_WEBHOOK_NOT_FOUND', 'webhook not found');
  return webhookView(webhook);
};

export const webhookAdmin = {
  tags: ['webhooks'],
  security: 'bearer',
  params: { id: 'webhook id' },
  errorNotes: {
    400: 'bad request, or a URL resolving to a private, loopback or link-local address',
    401: 'no or a wrong bearer token',
    403: 'not the admin token',
    404: 'no such webhook',
  },
} as const;
export const adminOnly = ['E_UNAUTHORIZED', 'E_FORBIDDEN'] as const;
const badUrl = ['E_VALIDATION', 'E_MALFORMED_JSON', 'E_WEBHOOK_URL_FORBIDDEN'] as const;
const positioned = { headers: positionHeader } as const;

export const subscribeContract: RouteContract = {
  ...webhookAdmin,
  params: {},
  method: 'post',
  path: '/api/webhooks',
  summary: 'Subscribe (admin): the signing secret is shown once',
  body: named('WebhookSubscription', subscribeBody, {
    url: { description: 'http(s), no user:password@ (the event log keeps it)' },
    channel_id: { description: 'only dialogs of this channel; absent or null: all' },
  }),
  response: { status: 201, description: 'subscribed', codec: subscribedAnswer, ...positioned },
  errors: [...badUrl, ...adminOnly, 'E_CHANNEL_NOT_FOUND'],
  errorNotes: { ...webhookAdmin.errorNotes, 404: 'the channel filter names no live channel' },
};

export const listWebhooksContract: RouteContract = {
  ...webhookAdmin,
  params: {},
  method: 'get',
  path: '/api/webhooks',
  summary: 'Every subscription (admin), as the outbox knows them',
  response: { status: 200, description: 'subscriptions', codec: webhookListAnswer },
  errors: adminOnly,
};

export const getWebhookContract: RouteContract = {
  ...webhookAdmin,
  method: 'get',
  path: '/api/webhooks/{id}',
  summary: 'A subscription, read from its event stream (admin)',
  response: { status: 200, description: 'the webhook', codec: webhookAnswer },
  errors: [...adminOnly, 'E_WEBHOOK_NOT_FOUND'],
};

export const updateWebhookContract: RouteContract = {
  ...webhookAdmin,
  method: 'patch',
  path: '/api/webhooks/{id}',
  summary: 'Change URL, events, channel filter; enable or disable (admin)',
  body: named('WebhookChange', updateBody, {
    channel_id: { description: 'null removes the filter' },
  }),
  response: { status: 200, description: 'after the change', codec: webhookAnswer, ...positioned },
  errors: [...badUrl, ...adminOnly, 'E_WEBHOOK_NOT_FOUND', 'E_CHANNEL_NOT_FOUND'],
  errorNotes: { ...webhookAdmin.errorNotes, 404: 'no such webhook or channel' },
};

export const removeWebhookContract: RouteContract = {
  ...webhookAdmin,
  method: 'delete',
  path: '/api/webhooks/{id}',
  summary: 'Remove (admin): pending deliveries are cancelled, the secret forgotten',
  response: { status: 204, description: 'removed', ...positioned },
  errors: [...adminOnly, 'E_WEBHOOK_NOT_FOUND'],
};

export const rotateSecretContract: RouteContract = {
  ...webhookAdmin,
  method: 'post',
  path: '/api/webhooks/{id}/rotate-secret',
  summary: 'A new secret, shown once; the previous one keeps signing alongside for 24 h',
  response: { status: 200, description: 'rotated', codec: rotatedAnswer, ...positioned },
  errors: [...adminOnly, 'E_WEBHOOK_NOT_FOUND'],
};

export const webhookContracts = [
  subscribeContract,
  listWebhooksContract,
  getWebhookContract,
  updateWebhookContract,
  removeWebhookContract,
  rotateSecretContract,
];

/** What these routes use, and nothing more. */
export type WebhookRouteDeps = StaffAuthDeps &
  CommandDeps &
  Pick<ParleyDeps, 'config' | 'pool' | 'webhookSecrets' | 'webhookAddresses'>;

/**
 * Webhook subscriptions, admin only (SPEC §3). One subscription is read from its stream, never
 * stale; the list comes from the outbox's table, which follows the log.
 */
export const webhookRoutes = (deps: WebhookRouteDeps): Router => {
  const router = new Router<StaffState>();
  const body = jsonBody(deps.config.limits.bodyBytes);
  const webhookDeps: WebhookDeps = {
    ...deps,
    secrets: deps.webhookSecrets,
    urlGuard: webhookUrlGuard(deps.webhookAddresses),
  };
  const context = (ctx: Context & { state: StaffState }) =>
    commandContext(ctx, deps.clock, ctx.state.actor);
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens), requireAdmin());

  serve(router, subscribeContract, body, async (ctx) => {
    const b = decodeOrThrow(subscribeBody, ctx.request.body, 'webhook');
    const created = orThrow(
      await subscribeWebhook(
        webhookDeps,
        { url: b.url, events: b.events, channelId: b.channel_id ?? null },
        context(ctx),
      ),
    );
    setPosition(ctx, created.handled.checkpoint);
    ctx.status = 201;
    ctx.set('Location', `/api/webhooks/${created.webhookId}`);
    ctx.body = { ...liveView(created.handled.state), secret: created.secret };
  });

  serve(router, listWebhooksContract, async (ctx) => {
    ctx.body = { items: await listSubscriptions(deps.pool) };
  });

  serve(router, getWebhookContract, async (ctx) => {
    ctx.body = liveView(await loadWebhook(deps, webhookId(ctx.params.id)));
  });

  serve(router, updateWebhookContract, body, async (ctx) => {
    const id = webhookId(ctx.params.id);
    const b = decodeOrThrow(updateBody, ctx.request.body, 'webhook change');
    if (Object.keys(b).length === 0) {
      throw new HttpError('E_VALIDATION', 'nothing to change', [
        { path: '(body)', message: 'give url, events, channel_id or enabled' },
      ]);
    }
    const handled = orThrow(
      await updateWebhook(
        webhookDeps,
        id,
        {
          ...(b.url === undefined ? {} : { url: b.url }),
          ...(b.events === undefined ? {} : { events: b.events }),
          ...(b.channel_id === undefined ? {} : { channelId: b.channel_id }),
          ...(b.enabled === undefined ? {} : { enabled: b.enabled }),
        },
        context(ctx),
      ),
    );
    setPosition(ctx, await positionOf(deps.store, streams.webhook(id), handled));
    ctx.body = liveView(handled.state);
  });

  serve(router, removeWebhookContract, async (ctx) => {
    const handled = orThrow(
      await removeWebhook(webhookDeps, webhookId(ctx.params.id), context(ctx)),
    );
    setPosition(ctx, handled.checkpoint);
    ctx.status = 204;
  });

  serve(router, rotateSecretContract, async (ctx) => {
    const id = webhookId(ctx.params.id);
    const rotated = orThrow(await rotateWebhookSecret(webhookDeps, id, context(ctx)));
    setPosition(ctx, rotated.handled.checkpoint);
    ctx.body = { id, secret: rotated.secret };
  });

  return router;
};
