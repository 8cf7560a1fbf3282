import Router from '@koa/router';
import type { authorizeIntegration } from '../../../application/channels/integrationAccess';
import type { RequestCommands } from '../../../application/commandHandler';
import { authorizeRequest, receiveAuthorized } from '../../../application/inbound/inboundRequest';
import { IDEMPOTENCY_KEY, requestHash } from '../../../application/inbound/idempotency';
import type { CommandDeps, ParleyDeps } from '../../parleyDeps';
import { decodeInboundMessage } from '../codecs/inboundMessage';
import { HttpError } from '../httpError';
import { jsonBody } from '../middleware/jsonBody';
import { enforceRateLimit } from '../middleware/rateLimit';
import type { SharedRateLimiter } from '../../rateLimit/sharedRateLimiter';
import type { RequestState } from '../middleware/requestContext';
import { commandContext, orThrow, setPosition } from '../respond';

type InboundState = RequestState & {
  channel: Awaited<ReturnType<typeof authorizeIntegration>>;
  /** the request's handler, which trusts the cache until its first append (RequestReads) */
  commands: RequestCommands;
};

const tokenOf = (query: unknown): string | null => {
  const token = (query as { token?: unknown }).token;
  const first = Array.isArray(token) ? token[0] : token;
  return typeof first === 'string' ? first : null;
};

/** What these routes use, and nothing more. */
export type InboundRouteDeps = CommandDeps & Pick<ParleyDeps, 'config'>;

/**
 * The seed's endpoint: POST /api/custom-channel/message/{channelId}?token=…
 * Check order (SPEC §2): token and channel, then body, then contact, then dialog.
 */
export const inboundRoutes = (deps: InboundRouteDeps, limiter: SharedRateLimiter): Router => {
  const router = new Router<InboundState>();
  const inboundDeps = { ...deps, defaultPhoneRegion: deps.config.defaultPhoneRegion };

  router.post(
    '/api/custom-channel/message/:channelId',
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
          { commands: ctx.state.commands, channel },
          tokenOf(ctx.query),
          request,
          options,
        ),
      );
      setPosition(ctx, result.checkpoint);
      if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
      ctx.status = 200;
      ctx.body = result.response;
    },
  );
  return router;
};
