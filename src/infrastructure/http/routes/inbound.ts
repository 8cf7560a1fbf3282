import Router from '@koa/router';
import { authorizeIntegration } from '../../../application/channels/integrationAccess';
import { IDEMPOTENCY_KEY, requestHash } from '../../../application/inbound/idempotency';
import { receiveMessage } from '../../../application/inbound/receiveMessage';
import type { CommandDeps, ParleyDeps } from '../../parleyDeps';
import { decodeInboundMessage } from '../codecs/inboundMessage';
import { HttpError } from '../httpError';
import { jsonBody } from '../middleware/jsonBody';
import { enforceRateLimit } from '../middleware/rateLimit';
import type { SharedRateLimiter } from '../../rateLimit/sharedRateLimiter';
import type { RequestState } from '../middleware/requestContext';
import { commandContext, orThrow, setPosition } from '../respond';

type InboundState = RequestState & { channel: Awaited<ReturnType<typeof authorizeIntegration>> };

const tokenOf = (query: unknown): string | null => {
  const token = (query as { token?: unknown }).token;
  const first = Array.isArray(token) ? token[0] : token;
  return typeof first === 'string' ? first : null;
};

/** What these routes use, and nothing more. */
export type InboundRouteDeps = CommandDeps & Pick<ParleyDeps, 'config' | 'keyedHash'>;

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

  router.post(
    '/api/custom-channel/message/:channelId',
    async (ctx, next) => {
      const channelId = ctx.params.channelId?.toLowerCase() ?? '';
      ctx.state.channel = await authorizeIntegration(deps.commands, channelId, tokenOf(ctx.query));
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
      const result = orThrow(
        await receiveMessage(inboundDeps, channel, request, {
          idempotencyKey: key,
          // only a request with a key is ever compared with another
          requestHash: key === null ? '' : requestHash(body),
          context: commandContext(ctx, deps.clock, {
            type: 'integration',
            channelId: channel.channelId,
          }),
        }),
      );
      setPosition(ctx, result.checkpoint);
      if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
      ctx.status = 200;
      ctx.body = result.response;
    },
  );
  return router;
};
