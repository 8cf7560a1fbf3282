import type { ClientBase } from 'pg';
import type { ContactData } from '../../domain/contact/contactData';
import type { ContactEvent } from '../../domain/contact/events';
import { evolve as evolveDomainContact, type Contact } from '../../domain/contact/state';
import type { DialogEvent } from '../../domain/dialog/events';
import { evolve as evolveDomainDialog, type Dialog } from '../../domain/dialog/state';

/** A connection inside the projection's transaction. */
export type Tx = Pick<ClientBase, 'query'>;

type KnownDialog = Exclude<Dialog, { status: 'absent' }>;
type KnownContact = Exclude<Contact, { status: 'absent' }>;

/**
 * What the outbox keeps of a dialog: the domain's dialog without its message trail (only
 * decisions need it), plus three facts only payloads need.
 */
export type OutboxDialog = Readonly<
  Pick<KnownDialog, 'dialogId' | 'channelId' | 'reference' | 'title' | 'status' | 'assigneeId'> & {
    /** the contact of the latest incoming message: the one a reply goes to */
    contactId: string;
    /** the latest non-null integration_data an incoming message carried */
    integrationData: string | null;
    openedAt: string;
  }
>;

/** What the outbox keeps of a contact: the part of the domain's contact a payload shows. */
export type OutboxContact = Readonly<
  Pick<KnownContact, 'contactId' | 'name' | 'description' | 'data' | 'survivorId'> & {
    deleted: boolean;
  }
>;

/** What payloads need of a dialog that the domain's state does not keep; null if never opened. */
const payloadFacts = (dialog: OutboxDialog | null, event: DialogEvent) => {
  if (event.type === 'DialogOpened') {
    const { contactId, openedAt } = event.data;
    return { contactId, integrationData: null, openedAt };
  }
  if (dialog === null) return null;
  const { contactId, integrationData, openedAt } = dialog;
  return event.type === 'MessageReceived'
    ? {
        contactId: event.data.contactId,
        integrationData: event.data.integrationData ?? integrationData,
        openedAt,
      }
    : { contactId, integrationData, openedAt };
};

/** The domain's evolve, on the part of the dialog the outbox stores. */
export const evolveDialog = (
  dialog: OutboxDialog | null,
  event: DialogEvent,
): OutboxDialog | null => {
  const facts = payloadFacts(dialog, event);
  // the trail is not stored: evolve only adds to it, and nothing here reads it
  const before: Dialog =
    dialog === null ? { status: 'absent' } : { ...dialog, messages: null, deliveries: null };
  const after = evolveDomainDialog(before, event);
  if (after.status === 'absent' || facts === null) return null;
  const { dialogId, channelId, reference, title, status, assigneeId } = after;
  return { dialogId, channelId, reference, title, status, assigneeId, ...facts };
};

/**
 * The domain's evolve, on the part of the contact the outbox stores; `deleted` and `survivorId`
 * are enough to say the domain's status.
 */
export const evolveContact = (
  contact: OutboxContact | null,
  event: ContactEvent,
): OutboxContact | null => {
  const before: Contact =
    contact === null
      ? { status: 'absent' }
      : {
          ...contact,
          status: contact.deleted ? 'deleted' : contact.survivorId === null ? 'active' : 'merged',
          // not stored: evolve only carries these along, and no payload shows them
          channelId: '',
          createdAt: '',
          absorbed: [],
        };
  const after = evolveDomainContact(before, event);
  if (after.status === 'absent') return null;
  const { contactId, name, description, data, survivorId } = after;
  // an erased contact is, to payloads, a deleted one with its data blanked (evolve does that)
  const deleted = after.status === 'deleted' || after.status === 'erased';
  return { contactId, name, description, data, survivorId, deleted };
};

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
  data: ContactData[];
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
