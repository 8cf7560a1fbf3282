import Router from '@koa/router';
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
import { HttpError } from '../httpError';
import { jsonBody } from '../middleware/jsonBody';
import { pathId } from '../pathId';
import { commandContext, orThrow, setPosition } from '../respond';

export const webhookId = (id: string | undefined): string =>
  pathId(id, 'E_WEBHOOK_NOT_FOUND', 'webhook not found');

export const webhookView = (webhook: Exclude<Webhook, { status: 'absent' }>) => ({
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

/** What these routes use, and nothing more. */
export type WebhookRouteDeps = StaffAuthDeps &
  CommandDeps &
  Pick<ParleyDeps, 'config' | 'pool' | 'webhookSecrets' | 'webhookAddresses'>;

/**
 * Webhook subscriptions, admin only (SPEC §3). One subscription is read from its stream, never
 * stale; the list comes from the outbox's table, which follows the log.
 */
export const webhookRoutes = (deps: WebhookRouteDeps): Router => {
  const router = new Router<StaffState>({ prefix: '/api/webhooks' });
  const body = jsonBody(deps.config.limits.bodyBytes);
  const webhookDeps: WebhookDeps = {
    ...deps,
    secrets: deps.webhookSecrets,
    urlGuard: webhookUrlGuard(deps.webhookAddresses),
  };
  const context = (ctx: Context & { state: StaffState }) =>
    commandContext(ctx, deps.clock, ctx.state.actor);
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens), requireAdmin());

  router.post('/', body, async (ctx) => {
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

  router.get('/', async (ctx) => {
    ctx.body = { items: await listSubscriptions(deps.pool) };
  });

  router.get('/:id', async (ctx) => {
    ctx.body = liveView(await loadWebhook(deps, webhookId(ctx.params.id)));
  });

  router.patch('/:id', body, async (ctx) => {
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

  router.delete('/:id', async (ctx) => {
    const handled = orThrow(
      await removeWebhook(webhookDeps, webhookId(ctx.params.id), context(ctx)),
    );
    setPosition(ctx, handled.checkpoint);
    ctx.status = 204;
  });

  router.post('/:id/rotate-secret', async (ctx) => {
    const id = webhookId(ctx.params.id);
    const rotated = orThrow(await rotateWebhookSecret(webhookDeps, id, context(ctx)));
    setPosition(ctx, rotated.handled.checkpoint);
    ctx.body = { id, secret: rotated.secret };
  });

  return router;
};
