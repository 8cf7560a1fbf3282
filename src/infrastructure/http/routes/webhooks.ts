import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Pool } from 'pg';
import type { Clock } from '../../../application/ports/clock';
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
import { listSubscriptions } from '../../webhooks/deliveryLog';
import { requireAdmin, type StaffState } from '../auth/staffAuth';
import { subscribeBody, updateBody } from '../codecs/webhook';
import { decodeOrThrow } from '../decodeRequest';
import { HttpError } from '../httpError';
import { commandContextOf, idParam, orThrow, respond, type StaffContext } from '../staffRequest';

export type WebhookRoutesDeps = WebhookDeps &
  Readonly<{ clock: Clock; pool: Pool; auth: Middleware<StaffState> }>;

export const WEBHOOK_NOT_FOUND = {
  code: 'E_WEBHOOK_NOT_FOUND',
  message: 'webhook not found',
} as const;

export const webhookJson = (webhook: Exclude<Webhook, { status: 'absent' }>) => ({
  id: webhook.webhookId,
  url: webhook.url,
  events: webhook.events,
  channel_id: webhook.channelId,
  enabled: webhook.enabled,
  disabled_reason: webhook.enabled ? null : (webhook.disabledReason ?? 'disabled'),
  created_at: webhook.createdAt,
});

/** Subscriptions, admin only. Reads of one subscription come from its stream: never stale. */
export const webhookRoutes = (deps: WebhookRoutesDeps): Router => {
  const router = new Router<StaffState>();
  const admin = [deps.auth, requireAdmin()] as const;
  const now = () => deps.clock.now();

  const liveWebhook = async (ctx: StaffContext) => {
    const webhook = await loadWebhook(deps, idParam(ctx.params.id, WEBHOOK_NOT_FOUND));
    if (webhook.status !== 'active')
      throw new HttpError(WEBHOOK_NOT_FOUND.code, WEBHOOK_NOT_FOUND.message);
    return webhook;
  };

  router.post('/api/webhooks', ...admin, async (ctx) => {
    const body = decodeOrThrow(subscribeBody, ctx.request.body);
    const created = orThrow(
      await subscribeWebhook(
        deps,
        { url: body.url, events: body.events, channelId: body.channel_id ?? null },
        commandContextOf(ctx, now()),
      ),
    );
    const { state } = created.handled;
    if (state.status === 'absent') throw new Error('a subscribed webhook has state');
    respond(
      ctx,
      201,
      { ...webhookJson(state), secret: created.secret },
      created.handled.checkpoint,
    );
  });

  router.get('/api/webhooks', ...admin, async (ctx) => {
    ctx.body = { items: await listSubscriptions(deps.pool) };
  });

  router.get('/api/webhooks/:id', ...admin, async (ctx) => {
    ctx.body = webhookJson(await liveWebhook(ctx));
  });

  router.patch('/api/webhooks/:id', ...admin, async (ctx) => {
    const webhookId = idParam(ctx.params.id, WEBHOOK_NOT_FOUND);
    const body = decodeOrThrow(updateBody, ctx.request.body);
    const handled = orThrow(
      await updateWebhook(
        deps,
        webhookId,
        {
          ...(body.url === undefined ? {} : { url: body.url }),
          ...(body.events === undefined ? {} : { events: body.events }),
          ...(body.channel_id === undefined ? {} : { channelId: body.channel_id }),
          ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
        },
        commandContextOf(ctx, now()),
      ),
    );
    if (handled.state.status === 'absent') throw new Error('an updated webhook has state');
    respond(
      ctx,
      200,
      webhookJson(handled.state),
      await positionOf(deps.store, streams.webhook(webhookId), handled),
    );
  });

  router.delete('/api/webhooks/:id', ...admin, async (ctx) => {
    const webhookId = idParam(ctx.params.id, WEBHOOK_NOT_FOUND);
    const handled = orThrow(await removeWebhook(deps, webhookId, commandContextOf(ctx, now())));
    respond(ctx, 204, undefined, handled.checkpoint);
  });

  router.post('/api/webhooks/:id/rotate-secret', ...admin, async (ctx) => {
    const webhookId = idParam(ctx.params.id, WEBHOOK_NOT_FOUND);
    const rotated = orThrow(
      await rotateWebhookSecret(deps, webhookId, commandContextOf(ctx, now())),
    );
    respond(ctx, 200, { id: webhookId, secret: rotated.secret }, rotated.handled.checkpoint);
  });

  return router;
};
