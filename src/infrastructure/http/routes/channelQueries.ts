import Router from '@koa/router';
import * as t from 'io-ts';
import { listChannels, type ChannelView } from '../../../projections/channels/channelQueries';
import { requireAdmin, type StaffState } from '../auth/staffAuth';
import { iso } from '../codecs';
import { channelAnswer, channelListAnswer } from '../codecs/channelAnswers';
import { serve, type RouteContract } from '../contract';
import { decodeQuery } from '../queryParams';
import { endpointUrl } from './channels';
import { readContract, readParams, type QueryRouteDeps } from './queryRouteDeps';

export const listChannelsContract: RouteContract = readContract({
  path: '/api/channels',
  tags: ['channels'],
  summary: 'Every channel, deleted ones included (admin; from the read model)',
  response: { status: 200, description: 'the channels', codec: channelListAnswer },
  errors: ['E_FORBIDDEN'],
  errorNotes: { 403: 'not the admin token' },
});

/** The same shape as channel management's answers (routes/channels.ts). */
const channelJson = (c: ChannelView, publicUrl: string): t.TypeOf<typeof channelAnswer> => ({
  id: c.channelId,
  name: c.name,
  enabled: c.enabled,
  deleted: c.status === 'deleted',
  created_at: iso(c.createdAt),
  endpoint_url: endpointUrl(publicUrl, c.channelId),
  tokens: c.tokens.map((tk) => ({
    id: tk.tokenId,
    prefix: tk.prefix,
    issued_at: iso(tk.issuedAt),
  })),
});

/**
 * GET /api/channels from the channels read model, admin only like the rest of channel
 * management. One channel is read from its stream by channel management (never stale).
 */
export const channelQueryRoutes = (
  { pool, auth, readYourWrites }: QueryRouteDeps,
  publicUrl: string,
): Router => {
  const router = new Router<StaffState>();
  router.use(auth, requireAdmin(), readYourWrites(['channels']));
  serve(router, listChannelsContract, async (ctx) => {
    decodeQuery(readParams, ctx.query);
    ctx.body = { items: (await listChannels(pool)).map((c) => channelJson(c, publicUrl)) };
  });
  return router;
};
