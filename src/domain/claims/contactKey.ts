import { absurd } from 'fp-ts/function';
import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import type { Command, Decider, Event } from '../shared/decider';
import type { ContactDataId, ContactId } from '../shared/ids';

/**
 * Who owns a contact data match key (see ContactData.key). Matching reads this stream, never a
 * read model, so N concurrent requests with one new key create exactly one contact.
 */
export type ContactKeyClaimed = Event<
  'ContactKeyClaimed',
  { key: string; contactId: ContactId; dataId: ContactDataId }
>;
/** The owner's data item took another value: the key is free again. */
export type ContactKeyReleased = Event<'ContactKeyReleased', { key: string; contactId: ContactId }>;
export type ContactKeyEvent = ContactKeyClaimed | ContactKeyReleased;

export type ClaimContactKey = Command<
  'ClaimContactKey',
  {
    key: string;
    contactId: ContactId;
    dataId: ContactDataId;
    /** the current holder, known to be deleted, whose claim may be taken over */
    replacing: ContactId | null;
  }
>;
export type ReleaseContactKey = Command<'ReleaseContactKey', { key: string; contactId: ContactId }>;
export type ContactKeyCommand = ClaimContactKey | ReleaseContactKey;

export type ContactKey = Readonly<{
  holder: Readonly<{ contactId: ContactId; dataId: ContactDataId }> | null;
}>;

type Decision = Either<DomainError, readonly ContactKeyEvent[]>;

const claim = ({ data }: ClaimContactKey, { holder }: ContactKey): Decision => {
  const { key, contactId, dataId } = data;
  if (holder !== null && holder.contactId === contactId) return right([]);
  if (holder !== null && holder.contactId !== data.replacing) {
    return left(domainError('E_CLAIM_HELD', 'contact data belongs to another contact', [holder]));
  }
  return right([{ type: 'ContactKeyClaimed', data: { key, contactId, dataId } }]);
};

export const contactKeyDecider: Decider<ContactKeyCommand, ContactKeyEvent, ContactKey> = {
  initialState: () => ({ holder: null }),
  evolve: (_state, event) =>
    event.type === 'ContactKeyClaimed'
      ? { holder: { contactId: event.data.contactId, dataId: event.data.dataId } }
      : { holder: null },
  decide: (command, state): Decision => {
    switch (command.type) {
      case 'ClaimContactKey':
        return claim(command, state);
      case 'ReleaseContactKey':
        return state.holder?.contactId === command.data.contactId
          ? right([{ type: 'ContactKeyReleased', data: command.data }])
          : right([]);
      default:
        return absurd(command);
    }
  },
};
