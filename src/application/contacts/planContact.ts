import { left, right, type Either } from 'fp-ts/Either';
import type { ContactDataInput, ContactInfo } from '../../domain/contact/contactInfo';
import { CUSTOM_SERVICE } from '../../domain/contact/contactData';
import { domainError, type DomainError } from '../../domain/errors';
import type { AggregateCache } from '../aggregateCache';
import type { EventStore } from '../ports/eventStore';
import {
  dataRecord,
  keyHolder,
  loadContact,
  resolveContact,
  type Resolved,
} from './contactDirectory';
import { matchKey } from './normalize';

export type PlannedItem = Readonly<{
  input: ContactDataInput;
  key: string;
  /** a `contacts_id` item changing an existing item keeps that item's id */
  fixedId: string | null;
  /** the key a changed item had, released once it holds the new one */
  previous: Readonly<{ key: string; holderId: string }> | null;
  /** who holds the key now: an owner (merged into the survivor) or a deleted contact */
  holder: Readonly<{ contactId: string; dataId: string; resolved: Resolved }> | null;
}>;

/** What the request means for contacts, read from the event store before anything is appended. */
export type ContactPlan = Readonly<{
  info: ContactInfo;
  channelId: string;
  /** live or pending contacts that are this customer: named by the request or owning its data */
  owners: ReadonlyMap<string, Exclude<Resolved, { kind: 'deleted' }>>;
  items: readonly PlannedItem[];
}>;

type Plan = Either<DomainError, ContactPlan>;

const idOf = (resolved: Resolved): string =>
  resolved.kind === 'active' ? resolved.contact.contactId : resolved.contactId;

/** `contact_object._id`: an existing contact, followed through merges. */
const namedContact = async (
  store: EventStore,
  contactId: string,
  cache: AggregateCache | undefined,
): Promise<Either<DomainError, Resolved>> => {
  const resolved = await resolveContact(store, contactId, cache);
  if (resolved.kind === 'deleted')
    return left(domainError('E_CONTACT_DELETED', 'contact was deleted'));
  if (resolved.kind === 'pending')
    return left(domainError('E_CONTACT_NOT_FOUND', 'contact not found'));
  return right(resolved);
};

type Reference = Extract<ContactInfo, { kind: 'references' }>['items'][number];
type ReferencedItem = Readonly<{ owner: Resolved; item: PlannedItem | null }>;

/** A `contacts_id` item: the data it names, its contact, and the change it asks for. */
const referencedItem = async (
  store: EventStore,
  channelId: string,
  reference: Reference,
  index: number,
  defaultRegion: string,
  cache: AggregateCache | undefined,
): Promise<Either<DomainError, ReferencedItem>> => {
  const notFound = left<DomainError, ReferencedItem>(
    domainError('E_MALFORMED_CONTACT_ID', 'a contacts_id item names no contact data', [
      { path: `contacts_id.${index}.id` },
    ]),
  );
  const record = await dataRecord(store, reference.id, cache);
  // custom data belongs to its channel: another channel's ids name nothing here
  if (record === null || (record.service === CUSTOM_SERVICE && record.channelId !== channelId))
    return notFound;
  const original = (await loadContact(store, record.contactId, cache)).state;
  const current =
    original.status === 'absent' ? undefined : original.data.find((d) => d.id === reference.id);
  if (current === undefined) return notFound;
  if (current.service !== CUSTOM_SERVICE) {
    return left(
      domainError('E_CUSTOM_CONTACTS_REQUIRED', 'contacts_id items must be custom contact data'),
    );
  }
  const owner = await resolveContact(store, record.contactId, cache);
  if (owner.kind === 'deleted')
    return left(domainError('E_CONTACT_DELETED', 'contact was deleted'));

  const input: ContactDataInput = {
    type: reference.changes.type ?? current.type,
    value: reference.changes.value ?? current.value,
    service: reference.changes.service ?? current.service,
    origin: reference.changes.origin === undefined ? current.origin : reference.changes.origin,
  };
  const unchanged =
    input.type === current.type &&
    input.value === current.value &&
    input.service === current.service &&
    input.origin === current.origin;
  if (unchanged) return right({ owner, item: null });
  const key = matchKey(channelId, input, defaultRegion);
  return right({
    owner,
    item: {
      input,
      key,
      fixedId: current.id,
      previous: key === current.key ? null : { key: current.key, holderId: record.contactId },
      holder: null,
    },
  });
};

/**
 * Reads everything the request depends on and checks the seed's lookups (E_CONTACT_NOT_FOUND,
 * E_CONTACT_DELETED, E_MALFORMED_CONTACT_ID for unknown contacts_id) before the first append.
 */
export const planContact = async (
  store: EventStore,
  info: ContactInfo,
  channelId: string,
  defaultRegion: string,
  cache?: AggregateCache,
): Promise<Plan> => {
  const owners = new Map<string, Exclude<Resolved, { kind: 'deleted' }>>();
  const addOwner = (resolved: Resolved): void => {
    if (resolved.kind !== 'deleted') owners.set(idOf(resolved), resolved);
  };
  const pendingItems: Omit<PlannedItem, 'holder'>[] = [];

  if (info.kind === 'object') {
    if (info.contactId !== null) {
      const named = await namedContact(store, info.contactId, cache);
      if (named._tag === 'Left') return named;
      addOwner(named.right);
    }
    for (const input of info.data) {
      pendingItems.push({
        input,
        key: matchKey(channelId, input, defaultRegion),
        fixedId: null,
        previous: null,
      });
    }
  } else {
    for (const [index, reference] of info.items.entries()) {
      const found = await referencedItem(store, channelId, reference, index, defaultRegion, cache);
      if (found._tag === 'Left') return found;
      addOwner(found.right.owner);
      if (found.right.item !== null) pendingItems.push(found.right.item);
    }
  }

  // each key once: the first item that carries it wins
  const unique = pendingItems.filter(
    (item, i) => pendingItems.findIndex((other) => other.key === item.key) === i,
  );
  // the keys' holders are read at once, and taken in the items' order
  const items: PlannedItem[] = await Promise.all(
    unique.map(async (item): Promise<PlannedItem> => {
      const holder = await keyHolder(store, item.key, cache);
      if (holder === null) return { ...item, holder: null };
      const resolved = await resolveContact(store, holder.contactId, cache);
      return { ...item, holder: { ...holder, resolved } };
    }),
  );
  for (const item of items) if (item.holder !== null) addOwner(item.holder.resolved);
  return right({ info, channelId, owners, items });
};
