import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Pool } from 'pg';
import type { EventStore } from '../../../application/ports/eventStore';
import { loadWebhook } from '../../../application/webhooks/manageWebhooks';
import {
  getDelivery,
  listDeliveries,
  redeliver,
  redeliverFailedSince,
} from '../../webhooks/deliveryLog';
import { requireAdmin, type StaffState } from '../auth/staffAuth';
import { deliveryQuery, sinceQuery } from '../codecs/webhook';
import { decodeOrThrow } from '../decodeRequest';
import { HttpError } from '../httpError';
import { idParam, type StaffContext } from '../staffRequest';
import { WEBHOOK_NOT_FOUND } from './webhooks';

export type DeliveryRoutesDeps = Readonly<{
  store: EventStore;
  pool: Pool;
  auth: Middleware<StaffState>;
}>;

const DELIVERY_NOT_FOUND = {
  code: 'E_DELIVERY_NOT_FOUND',
  message: 'no such delivery for this webhook',
} as const;

const deliveryIdParam = (value: string | undefined): string => {
  if (value === undefined || !/^\d{1,19}$/.test(value))
    throw new HttpError(DELIVERY_NOT_FOUND.code, DELIVERY_NOT_FOUND.message);
  return value;
};

/** The delivery log of a subscription and manual redelivery. Admin only. */
export const webhookDeliveryRoutes = (deps: DeliveryRoutesDeps): Router => {
  const router = new Router<StaffState>();
  const admin = [deps.auth, requireAdmin()] as const;

  /** the log of a removed subscription stays readable; an unknown id is 404 */
  const knownWebhook = async (ctx: StaffContext): Promise<string> => {
    const webhookId = idParam(ctx.params.id, WEBHOOK_NOT_FOUND);
    if ((await loadWebhook(deps, webhookId)).status === 'absent')
      throw new HttpError(WEBHOOK_NOT_FOUND.code, WEBHOOK_NOT_FOUND.message);
    return webhookId;
  };

  router.get('/api/webhooks/:id/deliveries', ...admin, async (ctx) => {
    const webhookId = await knownWebhook(ctx);
    const query = decodeOrThrow(deliveryQuery, ctx.query);
    const page = await listDeliveries(deps.pool, webhookId, {
      status: query.status ?? null,
      before: query.cursor ?? null,
      limit: query.limit ?? 50,
    });
    ctx.body = { items: page.items, next_cursor: page.nextCursor };
  });

  router.get('/api/webhooks/:id/deliveries/:deliveryId', ...admin, async (ctx) => {
    const webhookId = await knownWebhook(ctx);
    const delivery = await getDelivery(
      deps.pool,
      webhookId,
      deliveryIdParam(ctx.params.deliveryId),
    );
    if (delivery === null) throw new HttpError(DELIVERY_NOT_FOUND.code, DELIVERY_NOT_FOUND.message);
    ctx.body = delivery;
  });

  router.post('/api/webhooks/:id/deliveries/:deliveryId/redeliver', ...admin, async (ctx) => {
    const webhookId = await knownWebhook(ctx);
    const deliveryId = deliveryIdParam(ctx.params.deliveryId);
    if (!(await redeliver(deps.pool, webhookId, deliveryId)))
      throw new HttpError(DELIVERY_NOT_FOUND.code, DELIVERY_NOT_FOUND.message);
    ctx.status = 202;
    ctx.body = { id: deliveryId, status: 'pending' };
  });

  router.post('/api/webhooks/:id/redeliver', ...admin, async (ctx) => {
    const webhookId = await knownWebhook(ctx);
    const { since } = decodeOrThrow(sinceQuery, ctx.query);
    ctx.status = 202;
    ctx.body = { requeued: await redeliverFailedSince(deps.pool, webhookId, since) };
  });

  return router;
};
