import { idOfAttachment } from '../../application/attachments/attachmentId';
import { ERASED } from '../../domain/shared/erased';
import { erasedColumn } from '../dialogs/erasedColumns';
import { READ_MODEL } from '../schema';
import type { Projection } from '../projection';
import { wakeFetchWorkers } from './attachmentSchema';

/**
 * Queues every incoming attachment for the fetch workers, in the projection runner's
 * transaction with its checkpoint: an attachment is queued exactly once, however often the
 * process crashes, and the inbound request never waits for it (SPEC §2.1: the 200 never
 * waits for a fetch). Like the webhook outbox it is never rebuilt: the rows are the workers'.
 */
export const attachmentFetchQueueProjection: Projection = {
  name: 'attachment_fetch_queue',
  version: 1,
  tables: [],
  createTables: async (db) => {
    const { rows } = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
    if (rows[0]?.schema !== READ_MODEL) {
      throw new Error('the attachment fetch queue is never rebuilt: its rows are the workers');
    }
  },
  neverRebuilt: true,
  handlers: {
    MessageReceived: async (db, { data }) => {
      const queued = data.attachments
        .map((a, index) => ({ a, index, id: idOfAttachment(data.messageId, a, index) }))
        .filter(({ a }) => a.id === undefined);
      if (queued.length === 0) return;
      await db.query(
        `INSERT INTO attachments.files (attachment_id, dialog_id, message_id, position, contact_id,
                                        source, url, name, declared_type, status)
         SELECT id, $2, $3, position, $4, 'fetched', url, name, declared_type, 'pending'
           FROM unnest($1::text[], $5::int[], $6::text[], $7::text[], $8::text[])
             AS q(id, position, url, name, declared_type)
         ON CONFLICT (attachment_id) DO NOTHING`,
        [
          queued.map((q) => q.id),
          data.dialogId,
          data.messageId,
          data.contactId,
          queued.map((q) => q.index),
          queued.map((q) => q.a.url),
          queued.map((q) => q.a.name),
          queued.map((q) => q.a.mimeType),
        ],
      );
      await wakeFetchWorkers(db);
    },
    // SPEC §8: the person's file names and addresses go; the file itself went with their key
    // (serving it is 410). A fetch still pending then fails on the blanked address.
    ContactErased: async (db, { data }) => {
      await db.query(
        `UPDATE attachments.files SET ${['url', 'name', 'last_error'].map(erasedColumn).join(', ')}
         WHERE contact_id = ANY($1)`,
        [data.erasedContactIds, ERASED],
      );
    },
  },
};
