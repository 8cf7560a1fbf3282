import Router, { type RouterMiddleware } from '@koa/router';
import { authorizeIntegration } from '../../../application/channels/integrationAccess';
import { IDEMPOTENCY_KEY, requestHash } from '../../../application/inbound/idempotency';
import { receiveMessage } from '../../../application/inbound/receiveMessage';
import { reportDelivery } from '../../../application/dialogs/reportDelivery';
import { findMessageDialog } from '../../../projections/dialogs/messageQueries';
import { decodeDeliveryReport } from '../codecs/deliveryStatus';
import type { CommandDeps, ParleyDeps } from '../../parleyDeps';
import { decodeInboundMessage } from '../codecs/inboundMessage';
import { HttpError } from '../httpError';
import { jsonBody } from '../middleware/jsonBody';
import { enforceRateLimit } from '../middleware/rateLimit';
import type { SharedRateLimiter } from '../../rateLimit/sharedRateLimiter';
import type { RequestState } from '../middleware/requestContext';
import { commandContext, orThrow, setPosition } from '../respond';

export type InboundState = RequestState & {
  channel: Awaited<ReturnType<typeof authorizeIntegration>>;
};

const tokenOf = (query: unknown): string | null => {
  const token = (query as { token?: unknown }).token;
  const first = Array.isArray(token) ? token[0] : token;
  return typeof first === 'string' ? first : null;
};

/** What these routes use, and nothing more. */
export type InboundRouteDeps = CommandDeps & Pick<ParleyDeps, 'config' | 'pool'>;

/** A report may come a moment before the read model has the reply: look a few times. */
const LOCATE_ATTEMPTS = 5;
const LOCATE_PAUSE_MS = 100;

/** Token and channel, then the channel's rate limit: every integration route starts so. */
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
  const inboundDeps = { ...deps, defaultPhoneRegion: deps.config.defaultPhoneRegion };
  const integration = integrationAuth(deps, limiter);

  router.post(
    '/api/custom-channel/message/:channelId',
    integration,
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
  const locateMessage = async (channelId: string, messageId: string) => {
    for (let attempt = 1; ; attempt += 1) {
      const found = await findMessageDialog(deps.pool, channelId, messageId);
      if (found !== null || attempt === LOCATE_ATTEMPTS) return found;
      await new Promise((resolve) => setTimeout(resolve, LOCATE_PAUSE_MS));
    }
  };
  router.post(
    '/api/custom-channel/message/:channelId/status',
    integration,
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
      ctx.body = {
        message_id: reported.messageId,
        dialog_id: reported.dialogId,
        status: reported.status,
        changed: reported.changed,
      };
    },
  );
  return router;
};
