import Router from '@koa/router';
import { editChannel } from '../../../application/channels/editChannel';
import {
  changeChannel,
  createChannel,
  getChannel,
  issueChannelToken,
  type IssuedToken,
} from '../../../application/channels/manageChannels';
import type { LiveChannel } from '../../../application/channels/integrationAccess';
import type { CommandDeps, ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { requireAdmin, staffAuth, type StaffState } from '../auth/staffAuth';
import { changeChannelBody, createChannelBody } from '../codecs/channels';
import { decodeOrThrow } from '../codecs/decode';
import { jsonBody } from '../middleware/jsonBody';
import { commandContext, orThrow, setPosition } from '../respond';

/** Where integrators post: the seed's endpoint, under PUBLIC_URL. */
export const endpointUrl = (publicUrl: string, channelId: string): string =>
  `${publicUrl}/api/custom-channel/message/${channelId}`;

export const channelView = (channel: LiveChannel, publicUrl: string) => ({
  id: channel.channelId,
  name: channel.name,
  enabled: channel.enabled,
  deleted: channel.status === 'deleted',
  created_at: channel.createdAt,
  endpoint_url: endpointUrl(publicUrl, channel.channelId),
  tokens: channel.tokens.map((t) => ({ id: t.tokenId, prefix: t.prefix, issued_at: t.issuedAt })),
});

const tokenView = (token: IssuedToken) => ({
  id: token.tokenId,
  token: token.token,
  prefix: token.prefix,
});

/** What these routes use, and nothing more. */
export type ChannelRouteDeps = StaffAuthDeps &
  CommandDeps &
  Pick<ParleyDeps, 'config' | 'publicUrl'>;

/** Channel management, admin only (SPEC §3). Lists come from the read model (channelQueries). */
export const channelRoutes = (deps: ChannelRouteDeps): Router => {
  const router = new Router<StaffState>({ prefix: '/api/channels' });
  const body = jsonBody(deps.config.limits.bodyBytes);
  const view = (channel: LiveChannel) => channelView(channel, deps.publicUrl);
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens), requireAdmin());

  router.post('/', body, async (ctx) => {
    const { name } = decodeOrThrow(createChannelBody, ctx.request.body, 'channel');
    const created = orThrow(
      await createChannel(deps, name.trim(), commandContext(ctx, deps.clock, ctx.state.actor)),
    );
    setPosition(ctx, created.checkpoint);
    ctx.status = 201;
    ctx.set('Location', `/api/channels/${created.channel.channelId}`);
    ctx.body = { ...view(created.channel), token: tokenView(created.token) };
  });

  router.get('/:id', async (ctx) => {
    ctx.body = view(orThrow(await getChannel(deps.store, (ctx.params.id ?? '').toLowerCase())));
  });

  router.patch('/:id', body, async (ctx) => {
    const edit = decodeOrThrow(changeChannelBody, ctx.request.body, 'channel change');
    const id = (ctx.params.id ?? '').toLowerCase();
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const edited = orThrow(await editChannel(deps, id, edit, context));
    setPosition(ctx, edited.checkpoint);
    ctx.body = view(edited.channel);
  });

  router.delete('/:id', async (ctx) => {
    const deleted = orThrow(
      await changeChannel(
        deps,
        (ctx.params.id ?? '').toLowerCase(),
        { type: 'DeleteChannel', data: { now: deps.clock.now().toISOString() } },
        commandContext(ctx, deps.clock, ctx.state.actor),
      ),
    );
    setPosition(ctx, deleted.checkpoint);
    ctx.body = view(deleted.channel);
  });

  router.post('/:id/tokens', async (ctx) => {
    const issued = orThrow(
      await issueChannelToken(
        deps,
        (ctx.params.id ?? '').toLowerCase(),
        commandContext(ctx, deps.clock, ctx.state.actor),
      ),
    );
    setPosition(ctx, issued.checkpoint);
    ctx.status = 201;
    ctx.body = tokenView(issued.token);
  });

  router.delete('/:id/tokens/:tokenId', async (ctx) => {
    const revoked = orThrow(
      await changeChannel(
        deps,
        (ctx.params.id ?? '').toLowerCase(),
        {
          type: 'RevokeChannelToken',
          data: { tokenId: ctx.params.tokenId ?? '', now: deps.clock.now().toISOString() },
        },
        commandContext(ctx, deps.clock, ctx.state.actor),
      ),
    );
    setPosition(ctx, revoked.checkpoint);
    ctx.status = 204;
  });

  return router;
};
