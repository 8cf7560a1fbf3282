import Router from '@koa/router';
import type { Context } from 'koa';
import { loadWebhook } from '../../../application/webhooks/manageWebhooks';
import type { CommandDeps, ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import {
  getDelivery,
  listDeliveries,
  redeliver,
  redeliverFailedSince,
} from '../../webhooks/deliveryLog';
import { requireAdmin, staffAuth, type StaffState } from '../auth/staffAuth';
import { decodeOrThrow } from '../codecs/decode';
import { deliveryQuery, feedQuery, sinceQuery } from '../codecs/webhook';
import { readEventFeed } from '../../webhooks/eventFeed';
import { HttpError } from '../httpError';
import { webhookId } from './webhooks';

const deliveryNotFound = () =>
  new HttpError('E_DELIVERY_NOT_FOUND', 'no such delivery for this webhook');

const deliveryId = (value: string | undefined): string => {
  if (value === undefined || !/^\d{1,18}$/.test(value)) throw deliveryNotFound();
  return value;
};

/** What these routes use, and nothing more. */
export type WebhookDeliveryRouteDeps = StaffAuthDeps & CommandDeps & Pick<ParleyDeps, 'pool'>;

/** The delivery log of a subscription, its catch-up feed, and manual redelivery. Admin only. */
export const webhookDeliveryRoutes = (deps: WebhookDeliveryRouteDeps): Router => {
  const router = new Router<StaffState>({ prefix: '/api/webhooks/:id' });
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens), requireAdmin());

  /** a removed subscription's log stays readable; an id that never was one is 404 */
  const knownWebhook = async (ctx: Context): Promise<string> => {
    const id = webhookId(ctx.params.id);
    if ((await loadWebhook(deps, id)).status === 'absent')
      throw new HttpError('E_WEBHOOK_NOT_FOUND', 'webhook not found');
    return id;
  };

  router.get('/deliveries', async (ctx) => {
    const id = await knownWebhook(ctx);
    const query = decodeOrThrow(deliveryQuery, ctx.query, 'query');
    const page = await listDeliveries(deps.pool, id, {
      status: query.status ?? null,
      before: query.cursor ?? null,
      limit: query.limit ?? 50,
    });
    ctx.body = { items: page.items, next_cursor: page.nextCursor };
  });

  // what the subscription receives, to page from a delivery's Parley-Feed-Cursor after downtime
  router.get('/events', async (ctx) => {
    const id = await knownWebhook(ctx);
    const query = decodeOrThrow(feedQuery, ctx.query, 'query');
    const page = await readEventFeed(deps.pool, id, {
      after: query.after ?? null,
      limit: query.limit ?? 100,
    });
    ctx.type = 'application/json';
    ctx.body = page.json;
  });

  router.get('/deliveries/:deliveryId', async (ctx) => {
    const id = await knownWebhook(ctx);
    const delivery = await getDelivery(deps.pool, id, deliveryId(ctx.params.deliveryId));
    if (delivery === null) throw deliveryNotFound();
    ctx.body = delivery;
  });

  router.post('/deliveries/:deliveryId/redeliver', async (ctx) => {
    const id = await knownWebhook(ctx);
    const delivery = deliveryId(ctx.params.deliveryId);
    if (!(await redeliver(deps.pool, id, delivery))) throw deliveryNotFound();
    ctx.status = 202;
    ctx.body = { id: delivery, status: 'pending' };
  });

  router.post('/redeliver', async (ctx) => {
    const id = await knownWebhook(ctx);
    const { since } = decodeOrThrow(sinceQuery, ctx.query, 'query');
    ctx.status = 202;
    ctx.body = { requeued: await redeliverFailedSince(deps.pool, id, since) };
  });

  return router;
};
