import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { ContactDataInput, ContactInfo } from '../../domain/contact/contactInfo';
import { CUSTOM_SERVICE } from '../../domain/contact/contactData';
import { domainError, type DomainError } from '../../domain/errors';
import {
  dataRecord,
  keyHolder,
  loadContact,
  resolveContact,
  type LiveContact,
  type Resolved,
  type StreamReader,
} from './contactDirectory';
import { matchKey } from './normalize';

// The plan: what a request means for contacts, read before its first append; settlement.ts
// decides on it without I/O.

/** A contact as this request read it, or as its own last append left it. */
export type Known = Readonly<{ contact: LiveContact; revision: bigint }>;

/** A contact that is this customer: live, or promised by a claim and not created yet. */
export type Owner = Exclude<Resolved, { kind: 'deleted' }>;

/** Who holds a key now: an owner, or a deleted contact whose claim may be taken over. */
export type Holder = Readonly<{ contactId: string; dataId: string; resolved: Resolved }>;

export type Keyed = Readonly<{ input: ContactDataInput; key: string; holder: Holder | null }>;

/** `contact_object`: data to match; `dataId` is the id it gets if this request claims its key. */
export type MatchedItem = Keyed & Readonly<{ dataId: string }>;

/** A `contacts_id` item that asks for a change: it keeps its id, and may get a new key. */
export type EditedItem = Keyed &
  Readonly<{
    dataId: string;
    /** the key it had, released once the item holds the new one; null: the key is unchanged */
    previous: Readonly<{ key: string; holderId: string }> | null;
  }>;

type PlanOf<Job extends string, Item> = Readonly<{
  job: Job;
  channelId: string;
  /** the request's time, for the events it decides */
  now: string;
  /** the contacts that are this customer: named by the request, or holding its keys */
  owners: ReadonlyMap<string, Owner>;
  /** one per key: the first item that carries a key wins */
  items: readonly Item[];
}>;

/** `contact_object`: find the contact by its data (and `_id`), or create it. */
export type MatchPlan = PlanOf<'match', MatchedItem> &
  Readonly<{
    name: string;
    description: string | null | undefined;
    /** the contact this request creates when nobody owns its data */
    newContactId: string;
  }>;

/** `contacts_id`: known contact data names the contact, and may be edited. */
export type EditPlan = PlanOf<'edit', EditedItem>;

export type ContactPlan = MatchPlan | EditPlan;

export type PlanInput = Readonly<{
  channelId: string;
  defaultRegion: string;
  /** the request's time, for the events it decides */
  now: string;
  /** ids for what the request may create (derived from an Idempotency-Key, or new) */
  newId: (purpose: string) => string;
}>;

type ObjectInfo = Extract<ContactInfo, { kind: 'object' }>;
type ReferencesInfo = Extract<ContactInfo, { kind: 'references' }>;

const idOf = (resolved: Resolved): string =>
  resolved.kind === 'active' ? resolved.contact.contactId : resolved.contactId;

const addOwner = (owners: Map<string, Owner>, resolved: Resolved): void => {
  if (resolved.kind !== 'deleted') owners.set(idOf(resolved), resolved);
};

/** Each key once, the first item that carries it winning; its holder read, all at once. */
const withHolders = <T extends Readonly<{ key: string }>>(
  reader: StreamReader,
  items: readonly T[],
): Promise<(T & Readonly<{ holder: Holder | null }>)[]> =>
  Promise.all(
    items
      .filter((item, i) => items.findIndex((other) => other.key === item.key) === i)
      .map(async (item) => {
        const holder = await keyHolder(reader, item.key);
        if (holder === null) return { ...item, holder: null };
        return {
          ...item,
          holder: { ...holder, resolved: await resolveContact(reader, holder.contactId) },
        };
      }),
  );

/** `contact_object._id`: an existing contact, followed through merges. */
const namedContact = async (
  reader: StreamReader,
  contactId: string,
): Promise<Either<DomainError, Resolved>> => {
  const resolved = await resolveContact(reader, contactId);
  if (resolved.kind === 'deleted')
    return left(domainError('E_CONTACT_DELETED', 'contact was deleted'));
  if (resolved.kind === 'pending')
    return left(domainError('E_CONTACT_NOT_FOUND', 'contact not found'));
  return right(resolved);
};

/** Who owns each incoming item's key, and the contact `_id` names. */
const planMatch = async (
  reader: StreamReader,
  info: ObjectInfo,
  { channelId, defaultRegion, now, newId }: PlanInput,
): Promise<Either<DomainError, MatchPlan>> => {
  const owners = new Map<string, Owner>();
  if (info.contactId !== null) {
    const named = await namedContact(reader, info.contactId);
    if (isLeft(named)) return named;
    addOwner(owners, named.right);
  }
  const items = await withHolders(
    reader,
    info.data.map((input) => ({ input, key: matchKey(channelId, input, defaultRegion) })),
  );
  for (const item of items) if (item.holder !== null) addOwner(owners, item.holder.resolved);
  return right({
    job: 'match',
    channelId,
    now,
    name: info.name,
    description: info.description,
    newContactId: newId('contact'),
    owners,
    items: items.map((item) => ({ ...item, dataId: newId(`data:${item.key}`) })),
  });
};

type Reference = ReferencesInfo['items'][number];
type Referenced = Readonly<{ owner: Resolved; item: Omit<EditedItem, 'holder'> | null }>;

/** A `contacts_id` item: the data it names, its contact, and the change it asks for. */
const referencedItem = async (
  reader: StreamReader,
  channelId: string,
  reference: Reference,
  index: number,
  defaultRegion: string,
): Promise<Either<DomainError, Referenced>> => {
  const notFound = left<DomainError, Referenced>(
    domainError('E_MALFORMED_CONTACT_ID', 'a contacts_id item names no contact data', [
      { path: `contacts_id.${index}.id` },
    ]),
  );
  const record = await dataRecord(reader, reference.id);
  // custom data belongs to its channel: another channel's ids name nothing here
  if (record === null || (record.service === CUSTOM_SERVICE && record.channelId !== channelId))
    return notFound;
  const original = (await loadContact(reader, record.contactId)).state;
  const current =
    original.status === 'absent' ? undefined : original.data.find((d) => d.id === reference.id);
  if (current === undefined) return notFound;
  if (current.service !== CUSTOM_SERVICE) {
    return left(
      domainError('E_CUSTOM_CONTACTS_REQUIRED', 'contacts_id items must be custom contact data'),
    );
  }
  const owner = await resolveContact(reader, record.contactId);
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
      dataId: current.id,
      previous: key === current.key ? null : { key: current.key, holderId: record.contactId },
    },
  });
};

/** The contacts of the named data, the changes asked for, and who holds the new keys. */
const planEdit = async (
  reader: StreamReader,
  info: ReferencesInfo,
  { channelId, defaultRegion, now }: PlanInput,
): Promise<Either<DomainError, EditPlan>> => {
  const owners = new Map<string, Owner>();
  const edits: Omit<EditedItem, 'holder'>[] = [];
  for (const [index, reference] of info.items.entries()) {
    const found = await referencedItem(reader, channelId, reference, index, defaultRegion);
    if (isLeft(found)) return found;
    addOwner(owners, found.right.owner);
    if (found.right.item !== null) edits.push(found.right.item);
  }
  const items = await withHolders(reader, edits);
  for (const item of items) if (item.holder !== null) addOwner(owners, item.holder.resolved);
  return right({ job: 'edit', channelId, now, owners, items });
};

/**
 * Reads everything the request depends on and checks the seed's lookups (E_CONTACT_NOT_FOUND,
 * E_CONTACT_DELETED, E_MALFORMED_CONTACT_ID for unknown contacts_id) before the first append.
 */
export const planContact = (
  reader: StreamReader,
  info: ContactInfo,
  input: PlanInput,
): Promise<Either<DomainError, ContactPlan>> =>
  info.kind === 'object' ? planMatch(reader, info, input) : planEdit(reader, info, input);
