import { left, right, type Either } from 'fp-ts/Either';
import type { ContactEvent } from '../../domain/contact/events';
import { domainError, type DomainError } from '../../domain/errors';
import { isObjectId } from '../../domain/shared/ids';
import { contactAsOf, type ContactSnapshot } from '../audit/contactAsOf';
import { dialogAsOf, type DialogSnapshot, type MessageSnapshot } from '../audit/dialogAsOf';
import { contactStreamsWithMerged, historyItemsOf, type HistoryItem } from '../audit/history';
import type { Cut } from '../audit/asOf';
import type { EventStore } from '../ports/eventStore';
import { streams } from '../streams';

export type Merge = Readonly<{
  survivorId: string;
  mergedContactIds: readonly string[];
  mergedAt: string;
}>;

export type DialogRecord = Readonly<{
  dialog: DialogSnapshot;
  messages: readonly MessageSnapshot[];
  history: readonly HistoryItem[];
}>;

/** Everything Parley holds about a person (SPEC §8, GDPR art. 15), from the event log. */
export type SubjectAccess = Readonly<{
  contact: ContactSnapshot;
  /** every contact merged into it, directly or through a chain */
  mergedContactIds: readonly string[];
  merges: readonly Merge[];
  /** the events of the contact and of every contact merged into it, in log order */
  history: readonly HistoryItem[];
  dialogs: readonly DialogRecord[];
}>;

/** every event to the end of the log: the export is of now */
const NOW: Cut = { kind: 'time', at: new Date(8.64e15) };

const historyOf = async (store: EventStore, streamIds: readonly string[]) => {
  const events = (await Promise.all(streamIds.map((s) => store.readStream(s))))
    .flat()
    .sort((a, b) => store.compareCheckpoints(a.checkpoint, b.checkpoint));
  return historyItemsOf(store, events);
};

/**
 * The person a contact id names (a merged id names its survivor; a deleted or erased contact
 * is still exported, as what is left of it), their merges and history, and their dialogs
 * (`dialogsOf` finds them, in a read model: the log has no index of a contact's dialogs) with
 * every message both ways and each dialog's history. Read from the event store, so what it
 * shows of an erased person is what the log still says: ids, times and [erased].
 */
export const subjectAccess = async (
  store: EventStore,
  contactId: string,
  dialogsOf: (contactIds: readonly string[]) => Promise<readonly string[]>,
): Promise<Either<DomainError, SubjectAccess>> => {
  const found = isObjectId(contactId) ? await contactAsOf(store, contactId, NOW) : null;
  if (found === null || found.found === 'none')
    return left(domainError('E_CONTACT_NOT_FOUND', 'contact not found'));
  const { contact } = found;
  const contactStreams = await contactStreamsWithMerged(store, contact.contactId);
  const history = await historyOf(store, contactStreams);
  const merges = history.flatMap((item): Merge[] => {
    if (item.type !== 'ContactsMerged') return [];
    const data = item.data as Extract<ContactEvent, { type: 'ContactsMerged' }>['data'];
    return [
      {
        survivorId: data.contactId,
        mergedContactIds: data.mergedContactIds,
        mergedAt: data.mergedAt,
      },
    ];
  });
  const mergedContactIds = merges.flatMap((m) => m.mergedContactIds);
  const dialogs: DialogRecord[] = [];
  for (const dialogId of await dialogsOf([contact.contactId, ...mergedContactIds])) {
    const at = await dialogAsOf(store, dialogId, NOW);
    if (at === null) continue;
    dialogs.push({ ...at, history: await historyOf(store, [streams.dialog(dialogId)]) });
  }
  return right({
    contact,
    mergedContactIds,
    merges,
    history,
    dialogs,
  });
};
