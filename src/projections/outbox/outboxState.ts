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

/** The stored dialogs of these ids (the ones the outbox has seen). */
export const loadOutboxDialogs = async (
  tx: Tx,
  dialogIds: readonly string[],
): Promise<OutboxDialog[]> => {
  const { rows } = await tx.query<DialogRow>(
    `SELECT dialog_id, channel_id, reference, title, status, assignee_id, contact_id,
            integration_data, to_json(opened_at) #>> '{}' AS opened_at
       FROM webhooks.outbox_dialogs WHERE dialog_id = ANY($1::text[])`,
    [dialogIds],
  );
  return rows.map((row) => ({
    dialogId: row.dialog_id,
    channelId: row.channel_id,
    reference: row.reference,
    title: row.title,
    status: row.status,
    assigneeId: row.assignee_id,
    contactId: row.contact_id,
    integrationData: row.integration_data,
    openedAt: new Date(row.opened_at).toISOString(),
  }));
};

/** Stores these dialogs (each once), in one statement. */
export const saveOutboxDialogs = async (
  tx: Tx,
  dialogs: readonly OutboxDialog[],
): Promise<void> => {
  if (dialogs.length === 0) return;
  const column = <K extends keyof OutboxDialog>(key: K) => dialogs.map((d) => d[key]);
  await tx.query(
    `INSERT INTO webhooks.outbox_dialogs (dialog_id, channel_id, reference, title, status,
       assignee_id, contact_id, integration_data, opened_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
       $6::text[], $7::text[], $8::text[], $9::timestamptz[])
     ON CONFLICT (dialog_id) DO UPDATE SET channel_id = EXCLUDED.channel_id,
       reference = EXCLUDED.reference, title = EXCLUDED.title, status = EXCLUDED.status,
       assignee_id = EXCLUDED.assignee_id, contact_id = EXCLUDED.contact_id,
       integration_data = EXCLUDED.integration_data, opened_at = EXCLUDED.opened_at`,
    [
      column('dialogId'),
      column('channelId'),
      column('reference'),
      column('title'),
      column('status'),
      column('assigneeId'),
      column('contactId'),
      column('integrationData'),
      column('openedAt'),
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

/** The stored contacts of these ids (the ones the outbox has seen). */
export const loadOutboxContacts = async (
  tx: Tx,
  contactIds: readonly string[],
): Promise<OutboxContact[]> => {
  const { rows } = await tx.query<ContactRow>(
    `SELECT contact_id, name, description, data, survivor_id, deleted
       FROM webhooks.outbox_contacts WHERE contact_id = ANY($1::text[])`,
    [contactIds],
  );
  return rows.map((row) => ({
    contactId: row.contact_id,
    name: row.name,
    description: row.description,
    data: row.data,
    survivorId: row.survivor_id,
    deleted: row.deleted,
  }));
};

/** Stores these contacts (each once), in one statement. */
export const saveOutboxContacts = async (
  tx: Tx,
  contacts: readonly OutboxContact[],
): Promise<void> => {
  if (contacts.length === 0) return;
  await tx.query(
    `INSERT INTO webhooks.outbox_contacts (contact_id, name, description, data, survivor_id, deleted)
     SELECT c, n, d, j::jsonb, s, x
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[])
         AS u(c, n, d, j, s, x)
     ON CONFLICT (contact_id) DO UPDATE SET name = EXCLUDED.name,
       description = EXCLUDED.description, data = EXCLUDED.data,
       survivor_id = EXCLUDED.survivor_id, deleted = EXCLUDED.deleted`,
    [
      contacts.map((c) => c.contactId),
      contacts.map((c) => c.name),
      contacts.map((c) => c.description),
      contacts.map((c) => JSON.stringify(c.data)),
      contacts.map((c) => c.survivorId),
      contacts.map((c) => c.deleted),
    ],
  );
};
