import { absurd } from 'fp-ts/function';
import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import type { Decider } from '../shared/decider';
import type {
  AbsorbContacts,
  ContactCommand,
  CreateContact,
  EraseContact,
  UpdateContact,
} from './commands';
import type { ContactData } from './contactData';
import type { ContactEvent } from './events';
import { evolve, initialState, type Contact } from './state';

type Decision = Either<DomainError, readonly ContactEvent[]>;
type Existing = Exclude<Contact, { status: 'absent' }>;
// status 'active', checked by onActiveContact
type Active = Existing;

/** Commands other than CreateContact need a live contact; a merged one names its survivor. */
const onActiveContact = (state: Contact, decision: (contact: Active) => Decision): Decision => {
  switch (state.status) {
    case 'absent':
      return left(domainError('E_CONTACT_NOT_FOUND', 'contact not found'));
    case 'deleted':
    case 'erased':
      return left(domainError('E_CONTACT_DELETED', 'contact was deleted'));
    case 'merged':
      return left(
        domainError('E_CONTACT_MERGED', 'contact was merged into another', [
          { survivorId: state.survivorId },
        ]),
      );
    case 'active':
      return decision(state);
  }
};

const sameData = (a: ContactData, b: ContactData): boolean =>
  a.key === b.key &&
  a.type === b.type &&
  a.value === b.value &&
  a.service === b.service &&
  a.origin === b.origin;

/** Data events for incoming items: matched by id (changed), then by key (known), else added. */
const dataChanges = (contact: Existing, incoming: readonly ContactData[]): ContactEvent[] => {
  const { contactId } = contact;
  const keys = new Set(contact.data.map((d) => d.key));
  const events: ContactEvent[] = [];
  for (const item of incoming) {
    const sameId = contact.data.find((d) => d.id === item.id);
    if (sameId !== undefined) {
      if (!sameData(sameId, item)) {
        events.push({
          type: 'ContactDataChanged',
          data: { contactId, data: item, previousKey: sameId.key },
        });
        keys.add(item.key);
      }
    } else if (!keys.has(item.key)) {
      events.push({ type: 'ContactDataAdded', data: { contactId, data: item } });
      keys.add(item.key);
    }
  }
  return events;
};

const create = ({ data }: CreateContact, state: Contact): Decision => {
  if (state.status !== 'absent')
    return left(domainError('E_ALREADY_EXISTS', 'contact already exists'));
  const created: ContactEvent = {
    type: 'ContactCreated',
    data: {
      contactId: data.contactId,
      channelId: data.channelId,
      name: data.name,
      description: data.description,
      createdAt: data.now,
    },
  };
  const shell = evolve(state, created) as Existing;
  return right([created, ...dataChanges(shell, data.data)]);
};

const update = ({ data }: UpdateContact, contact: Active): Decision => {
  const name = data.name !== null && data.name !== '' ? data.name : contact.name;
  const description = data.description === undefined ? contact.description : data.description;
  const updated: ContactEvent[] =
    name !== contact.name || description !== contact.description
      ? [{ type: 'ContactUpdated', data: { contactId: contact.contactId, name, description } }]
      : [];
  return right([...updated, ...dataChanges(contact, data.data)]);
};

const absorb = ({ data }: AbsorbContacts, survivor: Active): Decision => {
  const fresh = data.contacts.filter(
    (c) => c.contactId !== survivor.contactId && !survivor.absorbed.includes(c.contactId),
  );
  if (fresh.length === 0) return right([]);
  const keys = new Set(survivor.data.map((d) => d.key));
  const moved: ContactData[] = [];
  for (const item of fresh.flatMap((c) => c.data)) {
    if (!keys.has(item.key)) {
      moved.push(item);
      keys.add(item.key);
    }
  }
  return right([
    {
      type: 'ContactsMerged',
      data: {
        contactId: survivor.contactId,
        mergedContactIds: fresh.map((c) => c.contactId),
        data: moved,
        mergedAt: data.now,
      },
    },
  ]);
};

/**
 * A live or deleted contact (a deleted one's data is still in the log) can be erased; erasing an
 * erased one again changes nothing, so a retry is safe. A merged id names its survivor.
 */
const erase = ({ data }: EraseContact, state: Contact): Decision => {
  switch (state.status) {
    case 'erased':
      return right([]);
    case 'active':
    case 'deleted': {
      const others = data.contactIds.filter((id) => id !== state.contactId);
      return right([
        {
          type: 'ContactErased',
          data: {
            contactId: state.contactId,
            erasedContactIds: [state.contactId, ...new Set(others)],
            erasedAt: data.now,
          },
        },
      ]);
    }
    default:
      return onActiveContact(state, () => right([]));
  }
};

export const decide = (command: ContactCommand, state: Contact): Decision => {
  switch (command.type) {
    case 'CreateContact':
      return create(command, state);
    case 'UpdateContact':
      return onActiveContact(state, (contact) => update(command, contact));
    case 'AbsorbContacts':
      return onActiveContact(state, (survivor) => absorb(command, survivor));
    case 'MergeInto': {
      const { survivorId, now } = command.data;
      if (state.status === 'merged' && state.survivorId === survivorId) return right([]);
      return onActiveContact(state, (contact) =>
        contact.contactId === survivorId
          ? left(domainError('E_CONFLICT', 'a contact cannot be merged into itself'))
          : right([
              {
                type: 'ContactMergedInto',
                data: { contactId: contact.contactId, survivorId, mergedAt: now },
              },
            ]),
      );
    }
    case 'DeleteContact':
      return onActiveContact(state, (contact) =>
        right([
          {
            type: 'ContactDeleted',
            data: { contactId: contact.contactId, deletedAt: command.data.now },
          },
        ]),
      );
    case 'EraseContact':
      return erase(command, state);
    default:
      return absurd(command);
  }
};

export const contactDecider: Decider<ContactCommand, ContactEvent, Contact> = {
  initialState,
  evolve,
  decide,
};
