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
import { feedPage } from '../codecs/integrationAnswers';
import { deliveryQuery, feedQuery, sinceQuery } from '../codecs/webhook';
import { readEventFeed } from '../../webhooks/eventFeed';
import {
  deliveryPage,
  deliveryWithAttempts,
  redeliveryAnswer,
  requeuedAnswer,
} from '../codecs/webhookAnswers';
import { serve, type RouteContract } from '../contract';
import { HttpError } from '../httpError';
import { adminOnly, webhookAdmin, webhookId } from './webhooks';

const deliveryNotFound = () =>
  new HttpError('E_DELIVERY_NOT_FOUND', 'no such delivery for this webhook');

const deliveryId = (value: string | undefined): string => {
  if (value === undefined || !/^\d{1,18}$/.test(value)) throw deliveryNotFound();
  return value;
};

const deliveryParams = {
  ...webhookAdmin.params,
  deliveryId: ['delivery id', { type: 'string', pattern: '^[0-9]+$' }],
} as const;

export const listDeliveriesContract: RouteContract = {
  ...webhookAdmin,
  method: 'get',
  path: '/api/webhooks/{id}/deliveries',
  summary: 'The delivery log, newest first, paged (admin)',
  query: { codec: deliveryQuery, notes: { cursor: 'next_cursor' } },
  response: { status: 200, description: 'a page', codec: deliveryPage },
  errors: ['E_VALIDATION', ...adminOnly, 'E_WEBHOOK_NOT_FOUND'],
  errorNotes: { ...webhookAdmin.errorNotes, 400: 'bad query' },
};

export const getDeliveryContract: RouteContract = {
  ...webhookAdmin,
  method: 'get',
  path: '/api/webhooks/{id}/deliveries/{deliveryId}',
  params: deliveryParams,
  summary: 'One delivery with every attempt (admin)',
  response: { status: 200, description: 'the delivery', codec: deliveryWithAttempts },
  errors: [...adminOnly, 'E_WEBHOOK_NOT_FOUND', 'E_DELIVERY_NOT_FOUND'],
  errorNotes: { ...webhookAdmin.errorNotes, 404: 'no such delivery' },
};

export const redeliverContract: RouteContract = {
  ...webhookAdmin,
  method: 'post',
  path: '/api/webhooks/{id}/deliveries/{deliveryId}/redeliver',
  params: deliveryParams,
  summary: 'Send again now, same webhook-id and body, retry schedule from the start (admin)',
  response: { status: 202, description: 'queued', codec: redeliveryAnswer },
  errors: [...adminOnly, 'E_WEBHOOK_NOT_FOUND', 'E_DELIVERY_NOT_FOUND'],
  errorNotes: { ...webhookAdmin.errorNotes, 404: 'no such delivery' },
};

export const redeliverFailedContract: RouteContract = {
  ...webhookAdmin,
  method: 'post',
  path: '/api/webhooks/{id}/redeliver',
  summary: 'Queue again every failed (dead-lettered) delivery created since a time (admin)',
  query: { codec: sinceQuery },
  response: { status: 202, description: 'how many were queued', codec: requeuedAnswer },
  errors: ['E_VALIDATION', ...adminOnly, 'E_WEBHOOK_NOT_FOUND'],
  errorNotes: { ...webhookAdmin.errorNotes, 400: 'since missing or not a time' },
};

export const eventFeedContract: RouteContract = {
  ...webhookAdmin,
  method: 'get',
  path: '/api/webhooks/{id}/events',
  summary: 'The catch-up feed: every payload this subscription receives, oldest first (admin)',
  description:
    'Resume from the Parley-Feed-Cursor header of the last delivery you received; each item’s payload is the exact body (and webhook-id) its deliveries send, in per-dialog order. docs/webhooks.md, Catching up.',
  query: {
    codec: feedQuery,
    notes: { after: 'a Parley-Feed-Cursor or a next_cursor; absent: from the first' },
  },
  response: { status: 200, description: 'a page', codec: feedPage },
  errors: ['E_VALIDATION', ...adminOnly, 'E_WEBHOOK_NOT_FOUND'],
  errorNotes: { ...webhookAdmin.errorNotes, 400: 'bad query' },
};

export const deliveryContracts = [
  eventFeedContract,
  listDeliveriesContract,
  getDeliveryContract,
  redeliverContract,
  redeliverFailedContract,
];

/** What these routes use, and nothing more. */
export type WebhookDeliveryRouteDeps = StaffAuthDeps & CommandDeps & Pick<ParleyDeps, 'pool'>;

/** The delivery log of a subscription, its catch-up feed, and manual redelivery. Admin only. */
export const webhookDeliveryRoutes = (deps: WebhookDeliveryRouteDeps): Router => {
  const router = new Router<StaffState>();
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens), requireAdmin());

  /** a removed subscription's log stays readable; an id that never was one is 404 */
  const knownWebhook = async (ctx: Context): Promise<string> => {
    const id = webhookId(ctx.params.id);
    if ((await loadWebhook(deps, id)).status === 'absent')
      throw new HttpError('E_WEBHOOK_NOT_FOUND', 'webhook not found');
    return id;
  };

  serve(router, listDeliveriesContract, async (ctx) => {
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
  serve(router, eventFeedContract, async (ctx) => {
    const id = await knownWebhook(ctx);
    const query = decodeOrThrow(feedQuery, ctx.query, 'query');
    const page = await readEventFeed(deps.pool, id, {
      after: query.after ?? null,
      limit: query.limit ?? 100,
    });
    // the payloads as their deliveries send them, byte for byte: JSON written once (feedPage)
    ctx.type = 'application/json';
    ctx.body = page.json;
  });

  serve(router, getDeliveryContract, async (ctx) => {
    const id = await knownWebhook(ctx);
    const delivery = await getDelivery(deps.pool, id, deliveryId(ctx.params.deliveryId));
    if (delivery === null) throw deliveryNotFound();
    ctx.body = delivery;
  });

  serve(router, redeliverContract, async (ctx) => {
    const id = await knownWebhook(ctx);
    const delivery = deliveryId(ctx.params.deliveryId);
    if (!(await redeliver(deps.pool, id, delivery))) throw deliveryNotFound();
    ctx.status = 202;
    ctx.body = { id: delivery, status: 'pending' };
  });

  serve(router, redeliverFailedContract, async (ctx) => {
    const id = await knownWebhook(ctx);
    const { since } = decodeOrThrow(sinceQuery, ctx.query, 'query');
    ctx.status = 202;
    ctx.body = { requeued: await redeliverFailedSince(deps.pool, id, since) };
  });

  return router;
};
