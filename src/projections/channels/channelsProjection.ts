import type { Projection } from '../projection';

/** Channels and their tokens (never the token hashes): who integrates through what. */
export const channelsProjection: Projection = {
  name: 'channels',
  version: 1,
  tables: ['channels', 'channel_tokens'],
  createTables: async (db) => {
    await db.query(`
      CREATE TABLE channels (
        channel_id text PRIMARY KEY,
        name text NOT NULL,
        enabled boolean NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'deleted')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz
      );
      CREATE INDEX channels_created ON channels (created_at, channel_id);

      CREATE TABLE channel_tokens (
        token_id text PRIMARY KEY,
        channel_id text NOT NULL,
        prefix text NOT NULL,
        issued_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX channel_tokens_channel ON channel_tokens (channel_id, issued_at);
    `);
  },
  batchedWrites: true,
  derivedOnly: true,
  handlers: {
    ChannelCreated: async (db, { data, recordedAt }) => {
      await db.query(
        `INSERT INTO channels (channel_id, name, enabled, status, created_at, updated_at)
         VALUES ($1, $2, true, 'active', $3, $4)`,
        [data.channelId, data.name, data.createdAt, recordedAt],
      );
    },
    ChannelRenamed: async (db, { data, recordedAt }) => {
      await db.query(`UPDATE channels SET name = $2, updated_at = $3 WHERE channel_id = $1`, [
        data.channelId,
        data.name,
        recordedAt,
      ]);
    },
    ChannelEnabled: async (db, { data, recordedAt }) => {
      await db.query(`UPDATE channels SET enabled = true, updated_at = $2 WHERE channel_id = $1`, [
        data.channelId,
        recordedAt,
      ]);
    },
    ChannelDisabled: async (db, { data, recordedAt }) => {
      await db.query(`UPDATE channels SET enabled = false, updated_at = $2 WHERE channel_id = $1`, [
        data.channelId,
        recordedAt,
      ]);
    },
    ChannelDeleted: async (db, { data, recordedAt }) => {
      await db.query(
        `UPDATE channels SET status = 'deleted', deleted_at = $2, updated_at = $3
         WHERE channel_id = $1`,
        [data.channelId, data.deletedAt, recordedAt],
      );
    },
    ChannelTokenIssued: async (db, { data }) => {
      await db.query(
        `INSERT INTO channel_tokens (token_id, channel_id, prefix, issued_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (token_id) DO NOTHING`,
        [data.tokenId, data.channelId, data.prefix, data.issuedAt],
      );
    },
    ChannelTokenRevoked: async (db, { data }) => {
      await db.query(
        `UPDATE channel_tokens SET revoked_at = $2 WHERE token_id = $1 AND channel_id = $3`,
        [data.tokenId, data.revokedAt, data.channelId],
      );
    },
  },
};
