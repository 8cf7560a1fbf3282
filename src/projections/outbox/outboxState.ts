import type { ContactData } from '../../domain/contact/contactData';
import type { ContactEvent } from '../../domain/contact/events';
import type { DialogEvent, DialogStatus } from '../../domain/dialog/events';

/** What the outbox keeps of a dialog: enough to say where a reply must go. */
export type OutboxDialog = Readonly<{
  dialogId: string;
  channelId: string;
  reference: string | null;
  title: string | null;
  status: DialogStatus;
  assigneeId: string | null;
  /** the contact of the latest incoming message: the one a reply goes to */
  contactId: string;
  /** the latest non-null integration_data an incoming message carried */
  integrationData: string | null;
  openedAt: string;
}>;

/** Contact data exactly as the contact events carry it. */
export type OutboxContactData = ContactData;

export type OutboxContact = Readonly<{
  contactId: string;
  name: string;
  description: string | null;
  data: readonly OutboxContactData[];
  /** set once merged: payloads show the survivor */
  survivorId: string | null;
  deleted: boolean;
}>;

export const evolveDialog = (
  dialog: OutboxDialog | null,
  event: DialogEvent,
): OutboxDialog | null => {
  if (event.type === 'DialogOpened') {
    const { dialogId, channelId, reference, title, contactId, openedAt } = event.data;
    return {
      dialogId,
      channelId,
      reference,
      title,
      status: 'open',
      assigneeId: null,
      contactId,
      integrationData: null,
      openedAt,
    };
  }
  if (dialog === null) return null;
  switch (event.type) {
    case 'DialogTitleChanged':
      return { ...dialog, title: event.data.title };
    case 'DialogReopened':
      return { ...dialog, status: 'open' };
    case 'DialogStatusChanged':
      return { ...dialog, status: event.data.status };
    case 'DialogAssigned':
      return { ...dialog, assigneeId: event.data.assigneeId };
    case 'MessageReceived':
      return {
        ...dialog,
        contactId: event.data.contactId,
        integrationData: event.data.integrationData ?? dialog.integrationData,
      };
    case 'MessageSent':
      return dialog;
  }
};

const withData = (
  data: readonly OutboxContactData[],
  added: readonly OutboxContactData[],
): readonly OutboxContactData[] => {
  const keys = new Set(data.map((d) => d.key));
  return [...data, ...added.filter((d) => !keys.has(d.key))];
};

export const evolveContact = (
  contact: OutboxContact | null,
  event: ContactEvent,
): OutboxContact | null => {
  if (event.type === 'ContactCreated') {
    const { contactId, name, description } = event.data;
    return { contactId, name, description, data: [], survivorId: null, deleted: false };
  }
  if (contact === null) return null;
  switch (event.type) {
    case 'ContactUpdated':
      return { ...contact, name: event.data.name, description: event.data.description };
    case 'ContactDataAdded':
      return { ...contact, data: withData(contact.data, [event.data.data]) };
    case 'ContactDataChanged':
      return {
        ...contact,
        data: contact.data.map((d) => (d.id === event.data.data.id ? event.data.data : d)),
      };
    case 'ContactsMerged':
      return { ...contact, data: withData(contact.data, event.data.data) };
    case 'ContactMergedInto':
      return { ...contact, survivorId: event.data.survivorId };
    case 'ContactDeleted':
      return { ...contact, deleted: true };
  }
};
