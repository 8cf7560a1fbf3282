import Router from '@koa/router';
import * as t from 'io-ts';
import { isObjectId } from '../../../domain/shared/ids';
import {
  getChannel,
  listChannels,
  type ChannelView,
} from '../../../projections/channels/channelQueries';
import { iso } from '../codecs';
import { HttpError } from '../httpError';
import { decodeQuery } from '../queryParams';
import type { QueryRouteDeps } from './queryRouteDeps';

const readParams = t.partial({ min_position: t.string });

/**
 * GET /api/channels and /api/channels/{id} from the channels read model. Kept apart from
 * channel management so that it can be dropped if management answers these itself.
 */
export const channelQueryRoutes = (
  { pool, auth, readYourWrites }: QueryRouteDeps,
  publicUrl: string,
): Router => {
  const router = new Router();
  router.use(auth, readYourWrites(['channels']));

  const channelJson = (c: ChannelView) => ({
    channel_id: c.channelId,
    name: c.name,
    enabled: c.enabled,
    status: c.status,
    endpoint_url: `${publicUrl}/api/custom-channel/message/${c.channelId}`,
    tokens: c.tokens.map((tk) => ({
      token_id: tk.tokenId,
      prefix: tk.prefix,
      issued_at: iso(tk.issuedAt),
    })),
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    deleted_at: iso(c.deletedAt),
  });

  router.get('/api/channels', async (ctx) => {
    decodeQuery(readParams, ctx.query);
    ctx.body = { items: (await listChannels(pool)).map(channelJson) };
  });

  router.get('/api/channels/:id', async (ctx) => {
    decodeQuery(readParams, ctx.query);
    const id = ctx.params.id ?? '';
    const channel = isObjectId(id) ? await getChannel(pool, id) : null;
    if (channel === null) throw new HttpError('E_CHANNEL_NOT_FOUND', 'channel not found');
    ctx.body = channelJson(channel);
  });

  return router;
};
