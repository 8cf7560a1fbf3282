import type { ContactDataRegistered } from '../../domain/claims/contactDataRecord';
import { contactDataRecordDecider } from '../../domain/claims/contactDataRecord';
import { contactKeyDecider, type ContactKey } from '../../domain/claims/contactKey';
import { contactDecider } from '../../domain/contact/decide';
import type { Contact } from '../../domain/contact/state';
import type { CommandHandler, Loaded } from '../commandHandler';
import { streams } from '../streams';

export type LiveContact = Exclude<Contact, { status: 'absent' }>;

/** Reads go through the command handler, so they share its cache. */
export type StreamReader = Pick<CommandHandler, 'load'>;

/** Where a contact id leads once merges are followed. */
export type Resolved =
  | Readonly<{ kind: 'active'; contact: LiveContact; revision: bigint }>
  /** deleted, or erased (SPEC §8): either way its data matches nothing and may be claimed over */
  | Readonly<{ kind: 'deleted'; contactId: string; erased: boolean }>
  /** claimed by a request that stopped before creating it; the next request completes it */
  | Readonly<{ kind: 'pending'; contactId: string }>;

const MAX_MERGE_HOPS = 32;

export const loadContact = (reader: StreamReader, contactId: string): Promise<Loaded<Contact>> =>
  reader.load(streams.contact(contactId), contactDecider);

/** Follows ContactMergedInto to the surviving contact: merged ids keep resolving. */
export const resolveContact = async (
  reader: StreamReader,
  contactId: string,
): Promise<Resolved> => {
  let id = contactId;
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    const { state, revision } = await loadContact(reader, id);
    if (state.status === 'absent') return { kind: 'pending', contactId: id };
    if (state.status === 'deleted' || state.status === 'erased')
      return { kind: 'deleted', contactId: id, erased: state.status === 'erased' };
    if (state.status === 'active')
      return { kind: 'active', contact: state, revision: revision as bigint };
    id = state.survivorId as string;
  }
  throw new Error(`contact ${contactId}: merge chain longer than ${MAX_MERGE_HOPS}`);
};

/**
 * A key this process does not know of is taken as free in a request that trusts the cache:
 * settlement claims a free key with `no_stream`, and a claim found there refuses the step,
 * which plans again with reads, as when another request claims it meanwhile.
 */
export const keyHolder = async (reader: StreamReader, key: string): Promise<ContactKey['holder']> =>
  (await reader.load(streams.contactKey(key), contactKeyDecider, { newUnlessCached: true })).state
    .holder;

export const dataRecord = async (
  reader: StreamReader,
  dataId: string,
): Promise<ContactDataRegistered['data'] | null> =>
  (await reader.load(streams.contactData(dataId), contactDataRecordDecider)).state.registered;
