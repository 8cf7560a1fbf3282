import type { ClientBase } from 'pg';
import type { OutboxContact, OutboxContactData, OutboxDialog } from './outboxState';

/** A connection inside the projection's transaction. */
export type Tx = Pick<ClientBase, 'query'>;

type DialogRow = {
  dialog_id: string;
  channel_id: string;
  reference: string | null;
  title: string | null;
  status: 'open' | 'closed';
  assignee_id: string | null;
  contact_id: string;
  integration_data: string | null;
  opened_at: string;
};

export const loadOutboxDialog = async (tx: Tx, dialogId: string): Promise<OutboxDialog | null> => {
  const { rows } = await tx.query<DialogRow>(
    `SELECT dialog_id, channel_id, reference, title, status, assignee_id, contact_id,
            integration_data, to_json(opened_at) #>> '{}' AS opened_at
       FROM webhooks.outbox_dialogs WHERE dialog_id = $1`,
    [dialogId],
  );
  const row = rows[0];
  return row === undefined
    ? null
    : {
        dialogId: row.dialog_id,
        channelId: row.channel_id,
        reference: row.reference,
        title: row.title,
        status: row.status,
        assigneeId: row.assignee_id,
        contactId: row.contact_id,
        integrationData: row.integration_data,
        openedAt: new Date(row.opened_at).toISOString(),
      };
};

export const saveOutboxDialog = async (tx: Tx, d: OutboxDialog): Promise<void> => {
  await tx.query(
    `INSERT INTO webhooks.outbox_dialogs (dialog_id, channel_id, reference, title, status,
       assignee_id, contact_id, integration_data, opened_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (dialog_id) DO UPDATE SET channel_id = $2, reference = $3, title = $4,
       status = $5, assignee_id = $6, contact_id = $7, integration_data = $8, opened_at = $9`,
    [
      d.dialogId,
      d.channelId,
      d.reference,
      d.title,
      d.status,
      d.assigneeId,
      d.contactId,
      d.integrationData,
      d.openedAt,
    ],
  );
};

type ContactRow = {
  contact_id: string;
  name: string;
  description: string | null;
  data: OutboxContactData[];
  survivor_id: string | null;
  deleted: boolean;
};

export const loadOutboxContact = async (
  tx: Tx,
  contactId: string,
): Promise<OutboxContact | null> => {
  const { rows } = await tx.query<ContactRow>(
    `SELECT contact_id, name, description, data, survivor_id, deleted
       FROM webhooks.outbox_contacts WHERE contact_id = $1`,
    [contactId],
  );
  const row = rows[0];
  return row === undefined
    ? null
    : {
        contactId: row.contact_id,
        name: row.name,
        description: row.description,
        data: row.data,
        survivorId: row.survivor_id,
        deleted: row.deleted,
      };
};

export const saveOutboxContact = async (tx: Tx, c: OutboxContact): Promise<void> => {
  await tx.query(
    `INSERT INTO webhooks.outbox_contacts (contact_id, name, description, data, survivor_id, deleted)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6)
     ON CONFLICT (contact_id) DO UPDATE SET name = $2, description = $3, data = $4::jsonb,
       survivor_id = $5, deleted = $6`,
    [c.contactId, c.name, c.description, JSON.stringify(c.data), c.survivorId, c.deleted],
  );
};

/** The contact a dialog's contact id stands for today: merged contacts resolve to the survivor. */
export const resolveOutboxContact = async (
  tx: Tx,
  contactId: string,
): Promise<OutboxContact | null> => {
  let contact = await loadOutboxContact(tx, contactId);
  // merges chain rarely; the bound only guards against a cycle in bad data
  for (let hop = 0; hop < 16 && contact?.survivorId; hop++) {
    const survivor = await loadOutboxContact(tx, contact.survivorId);
    if (survivor === null) break;
    contact = survivor;
  }
  return contact;
};
