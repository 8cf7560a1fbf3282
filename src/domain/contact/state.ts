import { ERASED, erasedText } from '../shared/erased';
import type { ChannelId, ContactId } from '../shared/ids';
import type { ContactData } from './contactData';
import type { ContactEvent } from './events';

export type Contact =
  | Readonly<{ status: 'absent' }>
  | Readonly<{
      /** erased: its data keys were destroyed; it matches nothing and holds no personal data */
      status: 'active' | 'deleted' | 'merged' | 'erased';
      contactId: ContactId;
      channelId: ChannelId;
      name: string;
      description: string | null;
      createdAt: string;
      data: readonly ContactData[];
      /** contacts merged into this one */
      absorbed: readonly ContactId[];
      /** set once this contact was merged into another */
      survivorId: ContactId | null;
    }>;

export const initialState = (): Contact => ({ status: 'absent' });

const withData = (
  data: readonly ContactData[],
  added: readonly ContactData[],
): readonly ContactData[] => {
  const keys = new Set(data.map((d) => d.key));
  return [...data, ...added.filter((d) => !keys.has(d.key))];
};

export const evolve = (state: Contact, event: ContactEvent): Contact => {
  if (event.type === 'ContactCreated') {
    const { contactId, channelId, name, description, createdAt } = event.data;
    return {
      status: 'active',
      contactId,
      channelId,
      name,
      description,
      createdAt,
      data: [],
      absorbed: [],
      survivorId: null,
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'ContactUpdated':
      return { ...state, name: event.data.name, description: event.data.description };
    case 'ContactDataAdded':
      return { ...state, data: withData(state.data, [event.data.data]) };
    case 'ContactDataChanged':
      return {
        ...state,
        data: state.data.map((d) => (d.id === event.data.data.id ? event.data.data : d)),
      };
    case 'ContactsMerged':
      return {
        ...state,
        data: withData(state.data, event.data.data),
        absorbed: [...state.absorbed, ...event.data.mergedContactIds],
      };
    case 'ContactMergedInto':
      return { ...state, status: 'merged', survivorId: event.data.survivorId };
    case 'ContactDeleted':
      return { ...state, status: 'deleted' };
    case 'ContactErased':
      return {
        ...state,
        status: 'erased',
        name: ERASED,
        description: erasedText(state.description),
        data: [],
      };
  }
};
