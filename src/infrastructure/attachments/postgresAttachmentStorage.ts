import type { Pool } from 'pg';
import type { AttachmentStorage } from '../../application/ports/attachmentStorage';

/** The embedded default: sealed bytes in attachments.blobs, so one backup holds everything. */
export const postgresAttachmentStorage = (pool: Pool): AttachmentStorage => ({
  kind: 'postgres',
  put: async (attachmentId, sealed) => {
    await pool.query(
      `INSERT INTO attachments.blobs (attachment_id, sealed) VALUES ($1, $2)
       ON CONFLICT (attachment_id) DO UPDATE SET sealed = EXCLUDED.sealed, stored_at = now()`,
      [attachmentId, sealed],
    );
  },
  get: async (attachmentId) => {
    const { rows } = await pool.query<{ sealed: Buffer }>(
      'SELECT sealed FROM attachments.blobs WHERE attachment_id = $1',
      [attachmentId],
    );
    return rows[0]?.sealed ?? null;
  },
});
