import type { Command } from '../shared/decider';
import type { ChannelId, ContactId } from '../shared/ids';
import type { ContactData } from './contactData';

export type CreateContact = Command<
  'CreateContact',
  {
    contactId: ContactId;
    channelId: ChannelId;
    name: string;
    description: string | null;
    data: readonly ContactData[];
    now: string;
  }
>;
/**
 * `name` replaces the name when non-empty; `description` replaces it when not undefined.
 * Each data item is matched by id first (a changed item), then by key (known), else added.
 */
export type UpdateContact = Command<
  'UpdateContact',
  { name: string | null; description?: string | null; data: readonly ContactData[] }
>;
export type AbsorbContacts = Command<
  'AbsorbContacts',
  {
    contacts: readonly Readonly<{ contactId: ContactId; data: readonly ContactData[] }>[];
    now: string;
  }
>;
export type MergeInto = Command<'MergeInto', { survivorId: ContactId; now: string }>;
export type DeleteContact = Command<'DeleteContact', { now: string }>;
/** `contactIds`: the contact and every contact merged into it, transitively, as collected. */
export type EraseContact = Command<
  'EraseContact',
  { contactIds: readonly ContactId[]; now: string }
>;

export type ContactCommand =
  CreateContact | UpdateContact | AbsorbContacts | MergeInto | DeleteContact | EraseContact;
