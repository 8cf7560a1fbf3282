import type { ChannelId, ContactId, DialogId, MessageId, OperatorId } from '../shared/ids';
import type { DialogEvent, DialogStatus } from './events';

/**
 * The messages a dialog holds, newest first, as a persistent list: evolve adds one in O(1)
 * however long the dialog, and a decision looks one up once per command.
 */
export type MessageTrail = Readonly<{
  messageId: MessageId;
  requestHash: string | null;
  previous: MessageTrail | null;
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
      return { ...state, messages: { messageId, requestHash, previous: state.messages } };
    }
  }
};
