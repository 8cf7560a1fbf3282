import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import type { Command, Decider, Event } from '../shared/decider';
import type { ChannelId, ContactDataId, ContactId } from '../shared/ids';

/**
 * Which contact a contact data id was created for, so that a `contacts_id` item resolves
 * through the event store alone. Later merges are followed through the contact's stream.
 */
export type ContactDataRegistered = Event<
  'ContactDataRegistered',
  { dataId: ContactDataId; contactId: ContactId; channelId: ChannelId; service: string }
>;
export type ContactDataRecordEvent = ContactDataRegistered;

export type RegisterContactData = Command<'RegisterContactData', ContactDataRegistered['data']>;

export type ContactDataRecord = Readonly<{ registered: ContactDataRegistered['data'] | null }>;

export const contactDataRecordDecider: Decider<
  RegisterContactData,
  ContactDataRecordEvent,
  ContactDataRecord
> = {
  initialState: () => ({ registered: null }),
  evolve: (_state, event) => ({ registered: event.data }),
  decide: (command, state): Either<DomainError, readonly ContactDataRecordEvent[]> => {
    if (state.registered === null)
      return right([{ type: 'ContactDataRegistered', data: command.data }]);
    if (state.registered.contactId === command.data.contactId) return right([]);
    return left(
      domainError('E_CLAIM_HELD', 'contact data id is registered to another contact', [
        state.registered,
      ]),
    );
  },
};
