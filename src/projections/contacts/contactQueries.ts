import type { Pool } from 'pg';

export type ContactDataView = Readonly<{
  id: string;
  type: string;
  value: string;
  service: string;
  origin: string | null;
}>;

export type ContactView = Readonly<{
  contactId: string;
  channelId: string;
  name: string;
  description: string | null;
  status: 'active' | 'deleted' | 'merged' | 'erased';
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  data: readonly ContactDataView[];
  /** contacts merged into this one (directly or through a chain) */
  mergedIds: readonly string[];
}>;

export type ContactRow = {
  contact_id: string;
  channel_id: string;
  name: string;
  description: string | null;
  status: ContactView['status'];
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
};

export const CONTACT_COLUMNS = `c.contact_id, c.channel_id, c.name, c.description, c.status,
  c.created_at, c.updated_at, c.deleted_at`;

/** Contact rows with their data and merged ids, in the order given. */
export const withDetails = async (
  pool: Pool,
  rows: readonly ContactRow[],
): Promise<ContactView[]> => {
  const ids = rows.map((r) => r.contact_id);
  const [data, merged] = await Promise.all([
    pool.query<ContactDataView & { contact_id: string }>(
      `SELECT contact_id, data_id AS id, type, value, service, origin
       FROM read_model.contact_data WHERE contact_id = ANY($1)
       ORDER BY added_at, data_id`,
      [ids],
    ),
    pool.query<{ contact_id: string; survivor_id: string }>(
      `SELECT contact_id, survivor_id FROM read_model.contacts
       WHERE survivor_id = ANY($1) ORDER BY merged_at, contact_id`,
      [ids],
    ),
  ]);
  return rows.map((row) => ({
    contactId: row.contact_id,
    channelId: row.channel_id,
    name: row.name,
    description: row.description,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    data: data.rows
      .filter((d) => d.contact_id === row.contact_id)
      .map(({ id, type, value, service, origin }) => ({ id, type, value, service, origin })),
    mergedIds: merged.rows.filter((m) => m.survivor_id === row.contact_id).map((m) => m.contact_id),
  }));
};

/**
 * The contact an id names today: a merged contact's id resolves to its survivor, so links to
 * a contact keep working after a merge. null when no contact has this id.
 */
export const getContact = async (pool: Pool, contactId: string): Promise<ContactView | null> => {
  const result = await pool.query<ContactRow>(
    `SELECT ${CONTACT_COLUMNS}
     FROM read_model.contacts r
     JOIN read_model.contacts c ON c.contact_id = coalesce(r.survivor_id, r.contact_id)
     WHERE r.contact_id = $1`,
    [contactId],
  );
  const [view] = await withDetails(pool, result.rows);
  return view ?? null;
};
