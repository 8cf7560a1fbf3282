import Router from '@koa/router';
import * as t from 'io-ts';
import { listChannels, type ChannelView } from '../../../projections/channels/channelQueries';
import { requireAdmin, type StaffState } from '../auth/staffAuth';
import { iso } from '../codecs';
import { decodeQuery } from '../queryParams';
import { endpointUrl } from './channels';
import type { QueryRouteDeps } from './queryRouteDeps';

const listParams = t.partial({ min_position: t.string });

/** The same shape as channel management's answers (routes/channels.ts). */
const channelJson = (c: ChannelView, publicUrl: string) => ({
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
  router.get('/api/channels', async (ctx) => {
    decodeQuery(listParams, ctx.query);
    ctx.body = { items: (await listChannels(pool)).map((c) => channelJson(c, publicUrl)) };
  });
  return router;
};
