import type { ParleyProcess } from '../lib/parleyProcess';

export type BenchChannel = Readonly<{ channelId: string; endpoint: string }>;

/** A channel made through the admin API; `endpoint` is its inbound path with the token. */
export const createBenchChannel = async (parley: ParleyProcess): Promise<BenchChannel> => {
  const created = await parley.admin('POST', '/api/channels', { name: 'Bench marketplace' });
  if (created.status !== 201)
    throw new Error(`channel: ${created.status} ${JSON.stringify(created.body)}`);
  const channel = created.body as { id: string; token: { token: string } };
  return {
    channelId: channel.id,
    endpoint: `/api/custom-channel/message/${channel.id}?token=${encodeURIComponent(channel.token.token)}`,
  };
};
