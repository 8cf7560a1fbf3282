import type { Pool } from 'pg';

/**
 * The dialogs of these contacts: the ones they opened (merges followed) and any other they
 * wrote in, oldest first. For a subject access export, which reads each from the log.
 */
export const dialogIdsOfContacts = async (
  pool: Pool,
  contactIds: readonly string[],
): Promise<string[]> => {
  const { rows } = await pool.query<{ dialog_id: string }>(
    `SELECT dialog_id FROM read_model.dialogs d
     WHERE contact_id = ANY($1)
        OR EXISTS (SELECT 1 FROM read_model.messages m
                   WHERE m.dialog_id = d.dialog_id AND m.contact_id = ANY($1))
     ORDER BY opened_at, dialog_id`,
    [contactIds],
  );
  return rows.map((r) => r.dialog_id);
};
