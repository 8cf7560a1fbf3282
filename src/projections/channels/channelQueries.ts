import type { Pool } from 'pg';

export type ChannelTokenView = Readonly<{
  tokenId: string;
  prefix: string;
  issuedAt: Date;
}>;

export type ChannelView = Readonly<{
  channelId: string;
  name: string;
  enabled: boolean;
  status: 'active' | 'deleted';
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  /** live tokens only */
  tokens: readonly ChannelTokenView[];
}>;

type Row = {
  channel_id: string;
  name: string;
  enabled: boolean;
  status: 'active' | 'deleted';
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  tokens: { token_id: string; prefix: string; issued_at: string }[];
};

const SELECT = `
  SELECT c.channel_id, c.name, c.enabled, c.status, c.created_at, c.updated_at, c.deleted_at,
         coalesce((SELECT json_agg(json_build_object('token_id', t.token_id, 'prefix', t.prefix,
                                                      'issued_at', t.issued_at)
                                   ORDER BY t.issued_at, t.token_id)
                   FROM read_model.channel_tokens t
                   WHERE t.channel_id = c.channel_id AND t.revoked_at IS NULL), '[]') AS tokens
  FROM read_model.channels c`;

const toView = (row: Row): ChannelView => ({
  channelId: row.channel_id,
  name: row.name,
  enabled: row.enabled,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deletedAt: row.deleted_at,
  tokens: row.tokens.map((t) => ({
    tokenId: t.token_id,
    prefix: t.prefix,
    issuedAt: new Date(t.issued_at),
  })),
});

/** Every channel, deleted ones included (their status says so), oldest first. */
export const listChannels = async (pool: Pool): Promise<ChannelView[]> =>
  (await pool.query<Row>(`${SELECT} ORDER BY c.created_at, c.channel_id`)).rows.map(toView);
