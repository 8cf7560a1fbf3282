import type { ChannelId, ContactId, DialogId, MessageId, OperatorId } from '../shared/ids';
import type { DeliveryStatus } from './deliveryStatus';
import type { DialogEvent, DialogStatus } from './events';

/**
 * The messages a dialog holds, newest first, as a persistent list: evolve adds one in O(1)
 * however long the dialog, and a decision looks one up once per command.
 */
export type MessageTrail = Readonly<{
  messageId: MessageId;
  direction: 'incoming' | 'outgoing';
  requestHash: string | null;
  previous: MessageTrail | null;
}> | null;

/** Delivery reports that moved a status, newest first: the first node for a message is its status. */
export type DeliveryTrail = Readonly<{
  messageId: MessageId;
  status: DeliveryStatus;
  previous: DeliveryTrail | null;
}> | null;

export type Dialog =
  | Readonly<{ status: 'absent' }>
  | Readonly<{
      status: DialogStatus;
      dialogId: DialogId;
      channelId: ChannelId;
      reference: string | null;
      title: string | null;
      contactId: ContactId;
      assigneeId: OperatorId | null;
      messages: MessageTrail;
      deliveries: DeliveryTrail;
    }>;

export const initialState = (): Dialog => ({ status: 'absent' });

export const findMessage = (trail: MessageTrail, messageId: MessageId): MessageTrail => {
  for (let node = trail; node !== null; node = node.previous) {
    if (node.messageId === messageId) return node;
  }
  return null;
};

export const evolve = (state: Dialog, event: DialogEvent): Dialog => {
  if (event.type === 'DialogOpened') {
    const { dialogId, channelId, reference, title, contactId } = event.data;
    return {
      status: 'open',
      dialogId,
      channelId,
      reference,
      title,
      contactId,
      assigneeId: null,
      messages: null,
      deliveries: null,
    };
  }
  if (state.status === 'absent') return state;
  switch (event.type) {
    case 'DialogTitleChanged':
      return { ...state, title: event.data.title };
    case 'DialogReopened':
      return { ...state, status: 'open' };
    case 'DialogStatusChanged':
      return { ...state, status: event.data.status };
    case 'DialogAssigned':
      return { ...state, assigneeId: event.data.assigneeId };
    case 'MessageReceived':
    case 'MessageSent': {
      const { messageId, requestHash } = event.data;
      const direction = event.type === 'MessageSent' ? 'outgoing' : 'incoming';
      return {
        ...state,
        messages: { messageId, direction, requestHash, previous: state.messages },
      };
    }
    case 'MessageDeliveryStatusChanged': {
      const { messageId, status } = event.data;
      return { ...state, deliveries: { messageId, status, previous: state.deliveries } };
    }
  }
};
