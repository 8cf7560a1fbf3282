import type { Event } from '../shared/decider';
import type { ChannelId, ContactId } from '../shared/ids';
import type { ContactData } from './contactData';

export type ContactCreated = Event<
  'ContactCreated',
  {
    contactId: ContactId;
    channelId: ChannelId;
    name: string;
    description: string | null;
    createdAt: string;
  }
>;
/** name and description after the change, both given so a reader needs no earlier event */
export type ContactUpdated = Event<
  'ContactUpdated',
  { contactId: ContactId; name: string; description: string | null }
>;
export type ContactDataAdded = Event<
  'ContactDataAdded',
  { contactId: ContactId; data: ContactData }
>;
/** an existing item (same id) got a new value, type, service or origin */
export type ContactDataChanged = Event<
  'ContactDataChanged',
  { contactId: ContactId; data: ContactData; previousKey: string }
>;
/** on the survivor: these contacts and their data are now this contact */
export type ContactsMerged = Event<
  'ContactsMerged',
  {
    contactId: ContactId;
    mergedContactIds: readonly ContactId[];
    data: readonly ContactData[];
    mergedAt: string;
  }
>;
/** on each merged contact: its id resolves to the survivor from now on */
export type ContactMergedInto = Event<
  'ContactMergedInto',
  { contactId: ContactId; survivorId: ContactId; mergedAt: string }
>;
export type ContactDeleted = Event<'ContactDeleted', { contactId: ContactId; deletedAt: string }>;
/**
 * On the contact that was asked to be erased (a survivor, or a deleted contact): its data keys
 * and those of every contact merged into it (`erasedContactIds`, itself included) were destroyed
 * (SPEC §8). Ids and a time only: the fact of the erasure holds no personal data.
 */
export type ContactErased = Event<
  'ContactErased',
  { contactId: ContactId; erasedContactIds: readonly ContactId[]; erasedAt: string }
>;

export type ContactEvent =
  | ContactCreated
  | ContactUpdated
  | ContactDataAdded
  | ContactDataChanged
  | ContactsMerged
  | ContactMergedInto
  | ContactDeleted
  | ContactErased;

export const contactEventTypes: readonly ContactEvent['type'][] = [
  'ContactCreated',
  'ContactUpdated',
  'ContactDataAdded',
  'ContactDataChanged',
  'ContactsMerged',
  'ContactMergedInto',
  'ContactDeleted',
  'ContactErased',
];
