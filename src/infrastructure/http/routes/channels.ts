import Router from '@koa/router';
import type * as t from 'io-ts';
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
import { channelAnswer, createdChannelAnswer, issuedTokenAnswer } from '../codecs/channelAnswers';
import { changeChannelBody, createChannelBody } from '../codecs/channels';
import { serve, type RouteContract } from '../contract';
import { positionHeader } from '../openapi/schema';
import { decodeOrThrow } from '../codecs/decode';
import { jsonBody } from '../middleware/jsonBody';
import { commandContext, orThrow, setPosition } from '../respond';

/** Where integrators post: the seed's endpoint, under PUBLIC_URL. */
export const endpointUrl = (publicUrl: string, channelId: string): string =>
  `${publicUrl}/api/custom-channel/message/${channelId}`;

export const channelView = (
  channel: LiveChannel,
  publicUrl: string,
): t.TypeOf<typeof channelAnswer> => ({
  id: channel.channelId,
  name: channel.name,
  enabled: channel.enabled,
  deleted: channel.status === 'deleted',
  created_at: channel.createdAt,
  endpoint_url: endpointUrl(publicUrl, channel.channelId),
  tokens: channel.tokens.map((t) => ({ id: t.tokenId, prefix: t.prefix, issued_at: t.issuedAt })),
});

const tokenView = (token: IssuedToken): t.TypeOf<typeof issuedTokenAnswer> => ({
  id: token.tokenId,
  token: token.token,
  prefix: token.prefix,
});

const manage = {
  tags: ['channels'],
  security: 'bearer',
  params: { id: 'channel id' },
  errorNotes: {
    400: 'bad request',
    401: 'no or a wrong bearer token',
    403: 'not the admin token',
    404: 'no such channel',
  },
} as const;
const adminOnly = ['E_UNAUTHORIZED', 'E_FORBIDDEN'] as const;
const badRequest = ['E_VALIDATION', 'E_MALFORMED_JSON'] as const;
const positioned = { headers: positionHeader } as const;

export const createChannelContract: RouteContract = {
  ...manage,
  params: {},
  method: 'post',
  path: '/api/channels',
  summary: 'Create a channel (admin): its endpoint and a first token, shown once',
  body: createChannelBody,
  response: { status: 201, description: 'created', codec: createdChannelAnswer, ...positioned },
  errors: [...badRequest, ...adminOnly],
};

export const getChannelContract: RouteContract = {
  ...manage,
  method: 'get',
  path: '/api/channels/{id}',
  summary: 'A channel, read from its event stream (never stale)',
  response: { status: 200, description: 'the channel', codec: channelAnswer },
  errors: [...adminOnly, 'E_CHANNEL_NOT_FOUND'],
};

export const changeChannelContract: RouteContract = {
  ...manage,
  method: 'patch',
  path: '/api/channels/{id}',
  summary: 'Rename, enable or disable (admin)',
  body: changeChannelBody,
  response: {
    status: 200,
    description: 'the channel after the change',
    codec: channelAnswer,
    ...positioned,
  },
  errors: [...badRequest, ...adminOnly, 'E_CHANNEL_DELETED', 'E_CHANNEL_NOT_FOUND'],
  errorNotes: { ...manage.errorNotes, 403: 'not the admin token, or the channel is deleted' },
};

export const deleteChannelContract: RouteContract = {
  ...manage,
  method: 'delete',
  path: '/api/channels/{id}',
  summary: 'Delete a channel for good: its tokens die (admin)',
  response: {
    status: 200,
    description: 'the deleted channel',
    codec: channelAnswer,
    ...positioned,
  },
  errors: [...adminOnly, 'E_CHANNEL_DELETED', 'E_CHANNEL_NOT_FOUND'],
  errorNotes: { ...manage.errorNotes, 403: 'not the admin token, or already deleted' },
};

export const issueChannelTokenContract: RouteContract = {
  ...manage,
  method: 'post',
  path: '/api/channels/{id}/tokens',
  summary: 'Issue another token (admin)',
  response: {
    status: 201,
    description: 'the token, shown once',
    codec: issuedTokenAnswer,
    ...positioned,
  },
  errors: [...adminOnly, 'E_CHANNEL_NOT_FOUND'],
};

export const revokeChannelTokenContract: RouteContract = {
  ...manage,
  method: 'delete',
  path: '/api/channels/{id}/tokens/{tokenId}',
  params: { ...manage.params, tokenId: 'token id' },
  summary: 'Revoke a token (admin)',
  response: { status: 204, description: 'revoked', ...positioned },
  errors: [...adminOnly, 'E_CHANNEL_NOT_FOUND', 'E_TOKEN_NOT_FOUND'],
  errorNotes: { ...manage.errorNotes, 404: 'no such channel or live token' },
};

export const channelContracts = [
  createChannelContract,
  getChannelContract,
  changeChannelContract,
  deleteChannelContract,
  issueChannelTokenContract,
  revokeChannelTokenContract,
];

/** What these routes use, and nothing more. */
export type ChannelRouteDeps = StaffAuthDeps &
  CommandDeps &
  Pick<ParleyDeps, 'config' | 'publicUrl'>;

/** Channel management, admin only (SPEC §3). Lists come from the read model (channelQueries). */
export const channelRoutes = (deps: ChannelRouteDeps): Router => {
  const router = new Router<StaffState>();
  const body = jsonBody(deps.config.limits.bodyBytes);
  const view = (channel: LiveChannel) => channelView(channel, deps.publicUrl);
  router.use(staffAuth(deps.adminTokenHash, deps.operatorTokens), requireAdmin());

  serve(router, createChannelContract, body, async (ctx) => {
    const { name } = decodeOrThrow(createChannelBody, ctx.request.body, 'channel');
    const created = orThrow(
      await createChannel(deps, name.trim(), commandContext(ctx, deps.clock, ctx.state.actor)),
    );
    setPosition(ctx, created.checkpoint);
    ctx.status = 201;
    ctx.set('Location', `/api/channels/${created.channel.channelId}`);
    ctx.body = { ...view(created.channel), token: tokenView(created.token) };
  });

  serve(router, getChannelContract, async (ctx) => {
    ctx.body = view(orThrow(await getChannel(deps.store, (ctx.params.id ?? '').toLowerCase())));
  });

  serve(router, changeChannelContract, body, async (ctx) => {
    const edit = decodeOrThrow(changeChannelBody, ctx.request.body, 'channel change');
    const id = (ctx.params.id ?? '').toLowerCase();
    const context = commandContext(ctx, deps.clock, ctx.state.actor);
    const edited = orThrow(await editChannel(deps, id, edit, context));
    setPosition(ctx, edited.checkpoint);
    ctx.body = view(edited.channel);
  });

  serve(router, deleteChannelContract, async (ctx) => {
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

  serve(router, issueChannelTokenContract, async (ctx) => {
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

  serve(router, revokeChannelTokenContract, async (ctx) => {
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
