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

/**
 * Both kinds of a contact's details, in one statement: its data items (`id` set) in the order
 * they were added, then the contacts merged into it (`merged_id` set) in the order they were
 * merged. One named statement, planned once per connection: the two unnamed ones it replaces
 * were parsed and planned at every search and every contact read (docs/performance.md).
 */
const DETAILS = `
  SELECT contact_id, id, type, value, service, origin, merged_id FROM (
    SELECT contact_id, data_id AS id, type, value, service, origin, NULL::text AS merged_id,
           0 AS kind, added_at AS at, data_id AS key
    FROM read_model.contact_data WHERE contact_id = ANY($1::text[])
    UNION ALL
    SELECT survivor_id, NULL, NULL, NULL, NULL, NULL, contact_id, 1, merged_at, contact_id
    FROM read_model.contacts WHERE survivor_id = ANY($1::text[])
  ) d
  ORDER BY kind, at, key`;

/** a data item's row (`merged_id` null: its columns as contact_data holds them) or a merged id's */
type DetailRow = ContactDataView & { contact_id: string; merged_id: string | null };

const append = <T>(lists: Map<string, T[]>, key: string, item: T): void => {
  const list = lists.get(key);
  if (list === undefined) lists.set(key, [item]);
  else list.push(item);
};

/** Contact rows with their data and merged ids, in the order given. */
export const withDetails = async (
  pool: Pool,
  rows: readonly ContactRow[],
): Promise<ContactView[]> => {
  if (rows.length === 0) return [];
  const { rows: details } = await pool.query<DetailRow>({
    name: 'contact-details-v1',
    text: DETAILS,
    values: [rows.map((r) => r.contact_id)],
  });
  const data = new Map<string, ContactDataView[]>();
  const merged = new Map<string, string[]>();
  for (const { contact_id, merged_id, id, type, value, service, origin } of details) {
    if (merged_id === null) append(data, contact_id, { id, type, value, service, origin });
    else append(merged, contact_id, merged_id);
  }
  return rows.map((row) => ({
    contactId: row.contact_id,
    channelId: row.channel_id,
    name: row.name,
    description: row.description,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    data: data.get(row.contact_id) ?? [],
    mergedIds: merged.get(row.contact_id) ?? [],
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
