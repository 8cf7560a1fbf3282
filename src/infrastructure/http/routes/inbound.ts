import Router from '@koa/router';
import { isLeft } from 'fp-ts/Either';
import { authorizeIntegration } from '../../../application/channels/integrationAccess';
import { consistently, type RequestCommands } from '../../../application/commandHandler';
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
      const token = tokenOf(ctx.query);
      ctx.state.commands = deps.commands.forRequest(true);
      ctx.state.channel = await authorizeIntegration(ctx.state.commands, channelId, token);
      if (isLeft(ctx.state.channel)) {
        // a refusal is no append that could check the cached channel: read it
        ctx.state.channel = await consistently(ctx.state.commands, (commands, again) => {
          if (again) ctx.state.commands = commands;
          return again
            ? authorizeIntegration(commands, channelId, token)
            : Promise.resolve(ctx.state.channel);
        });
      }
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
        await consistently(ctx.state.commands, async (commands, again) => {
          // run again: the channel is read too, and may refuse now
          const live = again
            ? orThrow(await authorizeIntegration(commands, channel.channelId, tokenOf(ctx.query)))
            : channel;
          return receiveMessage({ ...inboundDeps, commands }, live, request, options);
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
