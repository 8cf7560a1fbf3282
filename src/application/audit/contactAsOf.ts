import type { ContactData } from '../../domain/contact/contactData';
import type { ContactEvent } from '../../domain/contact/events';
import type { EventStore, RecordedEvent } from '../ports/eventStore';
import { contactStreamsWithMerged } from './history';
import { contactAsOfCut, readStreamAsOf, survivorAsOf, type Cut } from './asOf';

/** A contact at a moment, with the fields the live answer has (the contacts read model's). */
export type ContactSnapshot = Readonly<{
  contactId: string;
  channelId: string;
  name: string;
  description: string | null;
  status: 'active' | 'deleted' | 'merged' | 'erased';
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  data: readonly Readonly<{
    id: string;
    type: string;
    value: string;
    service: string;
    origin: string | null;
  }>[];
  mergedIds: readonly string[];
}>;

export type ContactAsOf =
  Readonly<{ found: 'none' }> | Readonly<{ found: 'contact'; contact: ContactSnapshot }>;

type Owned = { contactId: string; item: ContactData; addedAt: number };

/**
 * Who owned each contact data item, as the contacts read model keeps it: an item arriving on a
 * contact that already has its match key is not added; an item that moves in a merge keeps the
 * time it was first added, which orders a contact's data.
 */
const ownership = (events: readonly RecordedEvent[]): Map<string, Owned> => {
  const owned = new Map<string, Owned>();
  const add = (contactId: string, item: ContactData, at: number) => {
    for (const o of owned.values())
      if (o.contactId === contactId && o.item.key === item.key) return;
    const existing = owned.get(item.id);
    owned.set(item.id, { contactId, item, addedAt: existing?.addedAt ?? at });
  };
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as ContactEvent;
    const at = Date.parse(recorded.metadata.recordedAt);
    if (event.type === 'ContactDataAdded') add(event.data.contactId, event.data.data, at);
    if (event.type === 'ContactsMerged')
      for (const item of event.data.data) add(event.data.contactId, item, at);
    if (event.type === 'ContactDataChanged') {
      const existing = owned.get(event.data.data.id);
      if (existing?.contactId === event.data.contactId)
        owned.set(event.data.data.id, { ...existing, item: event.data.data });
    }
  }
  return owned;
};

/**
 * The contact an id named at the cut, as the live answer shows it: a merged contact's id
 * resolves to its survivor as it was then. `none` before the contact existed.
 */
export const contactAsOf = async (
  store: EventStore,
  contactId: string,
  cut: Cut,
): Promise<ContactAsOf> => {
  const asked = await contactAsOfCut(store, contactId, cut);
  if (asked.state.status === 'absent') return { found: 'none' };
  const survivorId = await survivorAsOf(store, contactId, cut);
  const { state, events } =
    survivorId === contactId ? asked : await contactAsOfCut(store, survivorId, cut);
  if (state.status === 'absent') return { found: 'none' };

  const related = (await contactStreamsWithMerged(store, survivorId)).slice(1);
  const relatedEvents = await Promise.all(related.map((s) => readStreamAsOf(store, s, cut)));
  const all = [...events, ...relatedEvents.flat()].sort((a, b) =>
    store.compareCheckpoints(a.checkpoint, b.checkpoint),
  );
  // an erased contact holds no data, as the live read model shows it
  const data = [...ownership(state.status === 'erased' ? [] : all).values()]
    .filter((o) => o.contactId === survivorId)
    .sort(
      (a, b) =>
        a.addedAt - b.addedAt || (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0),
    )
    .map(({ item: { id, type, value, service, origin } }) => ({
      id,
      type,
      value,
      service,
      origin,
    }));

  const merged: { id: string; at: number }[] = [];
  for (const stream of relatedEvents) {
    const into = stream.find((e) => e.type === 'ContactMergedInto');
    const id = (into?.data as { contactId?: string } | undefined)?.contactId;
    if (
      into !== undefined &&
      id !== undefined &&
      (await survivorAsOf(store, id, cut)) === survivorId
    )
      merged.push({ id, at: Date.parse((into.data as { mergedAt: string }).mergedAt) });
  }
  merged.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const last = events[events.length - 1];
  const deleted = events.find((e) => e.type === 'ContactDeleted');
  return {
    found: 'contact',
    contact: {
      contactId: state.contactId,
      channelId: state.channelId,
      name: state.name,
      description: state.description,
      status: state.status,
      createdAt: new Date(state.createdAt),
      updatedAt: new Date(last?.metadata.recordedAt ?? state.createdAt),
      deletedAt:
        deleted === undefined ? null : new Date((deleted.data as { deletedAt: string }).deletedAt),
      data,
      mergedIds: merged.map((m) => m.id),
    },
  };
};
