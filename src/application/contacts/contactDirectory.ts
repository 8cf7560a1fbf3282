import type { ContactDataRegistered } from '../../domain/claims/contactDataRecord';
import { contactDataRecordDecider } from '../../domain/claims/contactDataRecord';
import { contactKeyDecider, type ContactKey } from '../../domain/claims/contactKey';
import { contactDecider } from '../../domain/contact/decide';
import type { Contact } from '../../domain/contact/state';
import type { AggregateCache } from '../aggregateCache';
import { loadAggregate, type Loaded } from '../aggregates';
import type { EventStore } from '../ports/eventStore';
import { streams } from '../streams';

export type LiveContact = Exclude<Contact, { status: 'absent' }>;

/** Where a contact id leads once merges are followed. */
export type Resolved =
  | Readonly<{ kind: 'active'; contact: LiveContact; revision: bigint }>
  | Readonly<{ kind: 'deleted'; contactId: string }>
  /** claimed by a request that stopped before creating it; the next request completes it */
  | Readonly<{ kind: 'pending'; contactId: string }>;

const MAX_MERGE_HOPS = 32;

export const loadContact = (
  store: EventStore,
  contactId: string,
  cache?: AggregateCache,
): Promise<Loaded<Contact>> =>
  loadAggregate(store, streams.contact(contactId), contactDecider, cache);

/** Follows ContactMergedInto to the surviving contact: merged ids keep resolving. */
export const resolveContact = async (
  store: EventStore,
  contactId: string,
  cache?: AggregateCache,
): Promise<Resolved> => {
  let id = contactId;
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    const { state, revision } = await loadContact(store, id, cache);
    if (state.status === 'absent') return { kind: 'pending', contactId: id };
    if (state.status === 'deleted') return { kind: 'deleted', contactId: id };
    if (state.status === 'active')
      return { kind: 'active', contact: state, revision: revision as bigint };
    id = state.survivorId as string;
  }
  throw new Error(`contact ${contactId}: merge chain longer than ${MAX_MERGE_HOPS}`);
};

export const keyHolder = async (
  store: EventStore,
  key: string,
  cache?: AggregateCache,
): Promise<ContactKey['holder']> =>
  (await loadAggregate(store, streams.contactKey(key), contactKeyDecider, cache)).state.holder;

export const dataRecord = async (
  store: EventStore,
  dataId: string,
  cache?: AggregateCache,
): Promise<ContactDataRegistered['data'] | null> =>
  (await loadAggregate(store, streams.contactData(dataId), contactDataRecordDecider, cache)).state
    .registered;
