import Router from '@koa/router';
import { historyItemsOf } from '../../../application/audit/history';
import {
  requestOf,
  scanningCorrelatedEvents,
  type CorrelatedEvents,
} from '../../../application/audit/trace';
import { streamCategories, streams } from '../../../application/streams';
import { webhookMessageId } from '../../../projections/outbox/payload';
import { postgresCorrelatedEvents } from '../../eventstore/postgres/correlatedEvents';
import type * as t from 'io-ts';
import type { ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { deliveriesOfMessages, type TracedDelivery } from '../../trace/deliveryTrace';
import { recordReplay, replayOf, replaysOf } from '../../trace/replays';
import { requireAudit, staffAuth, type StaffState } from '../auth/staffAuth';
import { traceAnswer } from '../codecs/auditAnswers';
import { serve, type RouteContract } from '../contract';
import { HttpError } from '../httpError';
import { historyItemJson } from './history';

/** As requestContext accepts an X-Request-Id: anything else was never a correlation id. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const traceContract: RouteContract = {
  method: 'get',
  path: '/api/audit/correlations/{correlationId}',
  tags: ['audit'],
  summary:
    'Trace a request (admin or auditor): the request, the events it appended, the webhook deliveries they caused with every attempt',
  security: 'bearer',
  params: {
    correlationId: [
      'the X-Request-Id of the request',
      { type: 'string', pattern: CORRELATION_ID.source },
    ],
  },
  response: { status: 200, description: 'the trace', codec: traceAnswer },
  errors: ['E_UNAUTHORIZED', 'E_FORBIDDEN', 'E_NOT_FOUND'],
  errorNotes: {
    401: 'no or a wrong bearer token',
    403: 'not the admin token nor an auditor’s',
    404: 'no request with this id appended anything',
  },
};

const traceLink = (correlationId: string) =>
  `/api/audit/correlations/${encodeURIComponent(correlationId)}`;

type DeliveryJson = t.TypeOf<typeof traceAnswer>['deliveries'][number];

/** Statuses and outcomes are the delivery tables' own (their CHECK constraints hold them). */
const deliveryJson = (d: TracedDelivery): DeliveryJson => ({
  id: d.deliveryId,
  webhook_id: d.webhookId,
  webhook_message_id: d.webhookMessageId,
  event_type: d.eventType,
  status: d.status as DeliveryJson['status'],
  attempts: d.attempts.map((a) => ({
    attempt: a.attempt,
    started_at: a.startedAt.toISOString(),
    latency_ms: a.latencyMs,
    status_code: a.statusCode,
    error: a.error,
    outcome: a.outcome as DeliveryJson['attempts'][number]['outcome'],
  })),
});

/**
 * GET /api/audit/correlations/{correlationId} (SPEC §7): the request, the events it appended in
 * order, and the webhook deliveries those events caused with every attempt. Admin and auditors.
 */
/** What this route uses, and nothing more. */
export type TraceRouteDeps = StaffAuthDeps &
  Pick<ParleyDeps, 'pool' | 'store' | 'openStored' | 'config'>;

export const traceRoutes = (deps: TraceRouteDeps): Router => {
  const router = new Router<StaffState>();
  // the index reads the log as stored: its events are opened as the store would have
  const indexed = postgresCorrelatedEvents(deps.pool);
  const correlated: CorrelatedEvents =
    deps.config.eventStoreUrl === null
      ? async (id) => deps.openStored(await indexed(id))
      : scanningCorrelatedEvents(deps.store);

  serve(
    router,
    traceContract,
    staffAuth(deps.adminTokenHash, deps.operatorTokens),
    requireAudit(),
    async (ctx) => {
      const id = ctx.params.correlationId ?? '';
      const notFound = new HttpError('E_NOT_FOUND', 'no request with this id appended anything');
      if (!CORRELATION_ID.test(id)) throw notFound;
      const [events, replay, replays] = await Promise.all([
        correlated(id),
        replayOf(deps.pool, id),
        replaysOf(deps.pool, id),
      ]);
      if (events.length === 0 && replay === null) throw notFound;
      // a dialog event's webhook message id is its stream and revision (outbox/payload.ts)
      const messageIds = events
        .filter((e) => e.streamId.startsWith(streamCategories.dialog))
        .map((e) => webhookMessageId(e.streamId.slice(streamCategories.dialog.length), e.revision));
      const [items, deliveries] = await Promise.all([
        historyItemsOf(deps.store, events),
        deliveriesOfMessages(deps.pool, messageIds),
      ]);
      const request = requestOf(events);
      const answer: t.TypeOf<typeof traceAnswer> = {
        correlation_id: id,
        request:
          request !== null
            ? {
                actor: request.actor,
                channel_id: request.channelId,
                route: request.route,
                idempotency_key: request.idempotencyKey,
                at: request.at,
              }
            : replay === null
              ? null
              : {
                  actor: { type: 'integration', channelId: replay.channelId },
                  channel_id: replay.channelId,
                  route: replay.route,
                  idempotency_key: replay.idempotencyKey,
                  at: replay.replayedAt.toISOString(),
                },
        replay_of:
          replay === null
            ? null
            : {
                correlation_id: replay.originalCorrelationId,
                trace: traceLink(replay.originalCorrelationId),
              },
        replays: replays.map((r) => ({
          correlation_id: r.correlationId,
          at: r.replayedAt.toISOString(),
          trace: traceLink(r.correlationId),
        })),
        events: items.map(historyItemJson),
        deliveries: deliveries.map(deliveryJson),
      };
      ctx.body = answer;
    },
  );
  return router;
};

/**
 * Notes an idempotent replay of the inbound endpoint, which appends nothing to the log, so that
 * its trace links to the original request. Runs around the inbound route and after its answer;
 * a failure to note it is logged, never turned into an error for the integrator.
 */
/** What noting a replay uses, and nothing more. */
export type ReplayNoteDeps = Pick<ParleyDeps, 'store' | 'pool' | 'clock'>;

export const replayNotes = (deps: ReplayNoteDeps): Router => {
  const router = new Router<StaffState>();
  router.post('/api/custom-channel/message/:channelId', async (ctx, next) => {
    await next();
    const key = ctx.get('idempotency-key');
    if (ctx.response.get('Idempotent-Replayed') !== 'true' || key === '') return;
    const channelId = (ctx.params.channelId ?? '').toLowerCase();
    try {
      const [original] = await deps.store.readStream(streams.idempotency(channelId, key), {
        maxCount: 1,
      });
      if (original === undefined) return;
      await recordReplay(deps.pool, {
        correlationId: ctx.state.requestId,
        originalCorrelationId: original.metadata.correlationId,
        route: 'POST /api/custom-channel/message/:channelId',
        channelId,
        idempotencyKey: key,
        replayedAt: deps.clock.now(),
      });
      ctx.set('Link', `<${traceLink(original.metadata.correlationId)}>; rel="original-request"`);
    } catch (error) {
      ctx.state.log.error(
        { err: error },
        'could not note an idempotent replay for the audit trace',
      );
    }
  });
  return router;
};
