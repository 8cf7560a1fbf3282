import Router, { type RouterMiddleware } from '@koa/router';
import * as t from 'io-ts';
import { authorizeIntegration } from '../../../application/channels/integrationAccess';
import type { RequestCommands } from '../../../application/commandHandler';
import { authorizeRequest, receiveAuthorized } from '../../../application/inbound/inboundRequest';
import { IDEMPOTENCY_KEY, requestHash } from '../../../application/inbound/idempotency';
import { reportDelivery } from '../../../application/dialogs/reportDelivery';
import { findMessageDialog } from '../../../projections/dialogs/messageQueries';
import { decodeDeliveryReport, deliveryStatusBody } from '../codecs/deliveryStatus';
import { deliveryStatusResult } from '../codecs/integrationAnswers';
import type { CommandDeps, ParleyDeps } from '../../parleyDeps';
import { inboundAnswer } from '../codecs/contactAnswers';
import { decodeInboundMessage, inboundMessageCodec } from '../codecs/inboundMessage';
import { serve, type RouteContract } from '../contract';
import { named } from '../openapi/fromContracts';
import { inboundNotes, rateLimitHeaders } from '../openapi/inbound';
import { idempotencyKeyHeader, positionHeader } from '../openapi/schema';
import { HttpError } from '../httpError';
import { jsonBody } from '../middleware/jsonBody';
import { enforceRateLimit } from '../middleware/rateLimit';
import type { SharedRateLimiter } from '../../rateLimit/sharedRateLimiter';
import type { RequestState } from '../middleware/requestContext';
import { commandContext, orThrow, setPosition } from '../respond';

export type InboundState = RequestState & {
  channel: Awaited<ReturnType<typeof authorizeIntegration>>;
  /** the inbound request's handler, which trusts the cache until its first append (RequestReads) */
  commands?: RequestCommands;
};

/** `?token=`: read by tokenOf, so that a missing token is E_INVALID_TOKEN, never E_VALIDATION. */
const tokenQuery = t.type({ token: t.string });

const tokenOf = (query: unknown): string | null => {
  const token = (query as { token?: unknown }).token;
  const first = Array.isArray(token) ? token[0] : token;
  return typeof first === 'string' ? first : null;
};

export const inboundContract: RouteContract = {
  method: 'post',
  path: '/api/custom-channel/message/{channelId}',
  tags: ['custom channel'],
  summary: 'Post a customer message into a dialog (the seed’s endpoint)',
  description:
    'Opens or continues the dialog and creates, updates or merges the contact, in one request. Checks in this order: token and channel, rate limit, body, contact, dialog. A 4xx appends nothing. Every answer after the token check carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (docs/integration.md, Rate limits).',
  security: 'channelToken',
  // an unknown channel answers E_INVALID_TOKEN like a wrong token: any string is a channel id
  params: { channelId: ['channel id', { type: 'string' }] },
  query: { codec: tokenQuery, notes: { token: 'channel token' } },
  headers: [
    idempotencyKeyHeader(
      'same key and body: the first answer again, nothing appended; another body: 409',
    ),
  ],
  body: (limits) => named('InboundMessage', inboundMessageCodec(limits), inboundNotes(limits)),
  response: {
    status: 200,
    description: 'accepted: every event is durably appended',
    codec: inboundAnswer,
    headers: {
      ...positionHeader,
      ...rateLimitHeaders,
      'Idempotent-Replayed': {
        description: '"true" when an earlier request with this key answered',
        schema: { type: 'string' },
      },
    },
  },
  errors: [
    'E_CONTACT_INFO_REQUIRED',
    'E_CUSTOM_CONTACTS_REQUIRED',
    'E_CONTACTS_VALUE_REQUIRED',
    'E_MALFORMED_CONTACT_ID',
    'E_MALFORMED_JSON',
    'E_VALIDATION',
    'E_CONTACT_INFO_CONFLICT',
    'E_MESSAGE_EMPTY',
    'E_INVALID_TOKEN',
    'E_CHANNEL_NOT_ENABLED',
    'E_CHANNEL_DELETED',
    'E_CONTACT_NOT_FOUND',
    'E_CONTACT_DELETED',
    'E_DIALOG_NOT_FOUND',
    'E_IDEMPOTENCY_CONFLICT',
    'E_PAYLOAD_TOO_LARGE',
    'E_UNSUPPORTED_MEDIA_TYPE',
    'E_RATE_LIMITED',
    'E_UNAVAILABLE',
  ],
  errorNotes: {
    400: 'bad request',
    401: 'token missing, wrong, revoked, or channel unknown',
    403: 'channel disabled or deleted',
    404: 'not found',
    409: 'Idempotency-Key reused with another body',
    413: 'body over MAX_BODY_BYTES',
    415: 'not application/json',
    429: 'too many requests for this channel',
    503: 'store or database unavailable; retry',
  },
  errorHeaders: { 429: rateLimitHeaders },
};

/** The channel id and token of every integration endpoint (a channel id is any string). */
export const integrationParams = {
  security: 'channelToken',
  params: { channelId: ['channel id', { type: 'string' }] },
} as const;

/** What every integration endpoint besides the seed's may answer, besides its own codes. */
export const integrationErrors = [
  'E_INVALID_TOKEN',
  'E_CHANNEL_NOT_ENABLED',
  'E_CHANNEL_DELETED',
  'E_PAYLOAD_TOO_LARGE',
  'E_UNSUPPORTED_MEDIA_TYPE',
  'E_RATE_LIMITED',
  'E_UNAVAILABLE',
] as const;
export const integrationErrorNotes = {
  401: 'token missing, wrong, revoked, or channel unknown',
  403: 'channel disabled or deleted',
  413: 'body over its limit',
  415: 'not the content type this endpoint takes',
  429: 'too many requests for this channel',
  503: 'store or database unavailable; retry',
} as const;

export const deliveryStatusContract: RouteContract = {
  ...integrationParams,
  method: 'post',
  path: '/api/custom-channel/message/{channelId}/status',
  tags: ['custom channel'],
  summary: 'Report an outgoing message delivered, read or failed',
  description:
    'Appends MessageDeliveryStatusChanged when the status moves up (sent < failed < delivered < read), nothing otherwise; subscribers get message.updated. Counts against the channel’s rate limit.',
  query: { codec: tokenQuery, notes: { token: 'channel token' } },
  body: named('DeliveryStatusReport', deliveryStatusBody, {
    '': {
      description:
        'an outgoing message’s status: sent < failed < delivered < read; a report moves it only up, a repeat changes nothing',
      examples: [
        { message_id: '65f0c0ffee0000000000002a', status: 'read', timestamp: 1767261600000 },
      ],
    },
    message_id: {
      description: 'the id of an operator reply (message.created, direction outgoing)',
    },
    reason: { description: 'kept for failed only' },
    timestamp: { description: 'ms since the Unix epoch: when it happened; default now' },
    dialog_id: {
      description: 'optional: the message’s dialog (webhook payloads carry it); spares the lookup',
    },
  }),
  response: {
    status: 200,
    description: 'recorded, or already known',
    codec: deliveryStatusResult,
    headers: { ...positionHeader, ...rateLimitHeaders },
  },
  errors: [
    'E_MALFORMED_JSON',
    'E_VALIDATION',
    'E_MESSAGE_NOT_FOUND',
    'E_MESSAGE_NOT_OUTGOING',
    ...integrationErrors,
  ],
  errorNotes: {
    ...integrationErrorNotes,
    400: 'bad request',
    404: 'no message of this channel has this id',
    409: 'a customer’s message: no delivery status',
  },
  errorHeaders: { 429: rateLimitHeaders },
};

/** Set by the inbound route's first middleware; the others never read it. */
const requestCommandsOf = (state: InboundState): RequestCommands => {
  if (state.commands === undefined) throw new Error('inbound: the request has no handler');
  return state.commands;
};

/** What these routes use, and nothing more. */
export type InboundRouteDeps = CommandDeps & Pick<ParleyDeps, 'config' | 'pool' | 'keyedHash'>;

/** A report may come a moment before the read model has the reply: look a few times. */
const LOCATE_ATTEMPTS = 5;
const LOCATE_PAUSE_MS = 100;

/** Token and channel, then the channel's rate limit: the other integration routes start so. */
export const integrationAuth =
  (
    deps: Pick<CommandDeps, 'commands'>,
    limiter: SharedRateLimiter,
  ): RouterMiddleware<InboundState> =>
  async (ctx, next) => {
    const channelId = ctx.params.channelId?.toLowerCase() ?? '';
    ctx.state.channel = await authorizeIntegration(deps.commands, channelId, tokenOf(ctx.query));
    orThrow(ctx.state.channel);
    await enforceRateLimit(ctx, limiter, channelId);
    await next();
  };

/**
 * The seed's endpoint: POST /api/custom-channel/message/{channelId}?token=…
 * Check order (SPEC §2): token and channel, then body, then contact, then dialog.
 */
export const inboundRoutes = (deps: InboundRouteDeps, limiter: SharedRateLimiter): Router => {
  const router = new Router<InboundState>();
  const inboundDeps = {
    ...deps,
    defaultPhoneRegion: deps.config.defaultPhoneRegion,
    keyedHash: deps.keyedHash,
  };

  serve(
    router,
    inboundContract,
    async (ctx, next) => {
      const channelId = ctx.params.channelId?.toLowerCase() ?? '';
      const authorized = await authorizeRequest(deps.commands, channelId, tokenOf(ctx.query));
      ctx.state.commands = authorized.commands;
      ctx.state.channel = authorized.channel;
      orThrow(ctx.state.channel);
      await enforceRateLimit(ctx, limiter, channelId);
      await next();
    },
    jsonBody(deps.config.limits.bodyBytes),
    async (ctx) => {
      const channel = orThrow(ctx.state.channel);
      const key = ctx.get('idempotency-key') || null;
      if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
        throw new HttpError('E_VALIDATION', 'the Idempotency-Key header is not valid', [
          { path: 'Idempotency-Key', message: 'expected 1 to 255 printable ASCII characters' },
        ]);
      }
      const body: unknown = ctx.request.body;
      const request = decodeInboundMessage(deps.config.limits, body);
      const options = {
        idempotencyKey: key,
        // only a request with a key is ever compared with another
        requestHash: key === null ? '' : requestHash(body),
        context: commandContext(ctx, deps.clock, {
          type: 'integration',
          channelId: channel.channelId,
        }),
      };
      const result = orThrow(
        await receiveAuthorized(
          inboundDeps,
          { commands: requestCommandsOf(ctx.state), channel },
          tokenOf(ctx.query),
          request,
          options,
        ),
      );
      setPosition(ctx, result.checkpoint);
      if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
      ctx.status = 200;
      const answer: t.TypeOf<typeof inboundAnswer> = result.response;
      ctx.body = answer;
    },
  );
  const locateMessage = async (channelId: string, messageId: string) => {
    for (let attempt = 1; ; attempt += 1) {
      const found = await findMessageDialog(deps.pool, channelId, messageId);
      if (found !== null || attempt === LOCATE_ATTEMPTS) return found;
      await new Promise((resolve) => setTimeout(resolve, LOCATE_PAUSE_MS));
    }
  };
  serve(
    router,
    deliveryStatusContract,
    integrationAuth(deps, limiter),
    jsonBody(deps.config.limits.bodyBytes),
    async (ctx) => {
      const channel = orThrow(ctx.state.channel);
      const reported = orThrow(
        await reportDelivery(
          { ...deps, locateMessage },
          decodeDeliveryReport(channel.channelId, ctx.request.body),
          commandContext(ctx, deps.clock, { type: 'integration', channelId: channel.channelId }),
        ),
      );
      setPosition(ctx, reported.checkpoint);
      const answer: t.TypeOf<typeof deliveryStatusResult> = {
        message_id: reported.messageId,
        dialog_id: reported.dialogId,
        status: reported.status,
        changed: reported.changed,
      };
      ctx.body = answer;
    },
  );
  return router;
};
