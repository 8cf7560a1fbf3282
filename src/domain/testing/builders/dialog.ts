import type { DialogCommand } from '../../dialog/commands';
import type { DialogEvent } from '../../dialog/events';
import { CHANNEL, CONTACT, DIALOG, MESSAGE, OPERATOR, T0, T1, T2 } from './ids';
import { builderOf } from './builder';

const event = builderOf<DialogEvent>();
const command = builderOf<DialogCommand>();

export const dialogOpened = event('DialogOpened', () => ({
  dialogId: DIALOG,
  channelId: CHANNEL,
  reference: null,
  title: null,
  contactId: CONTACT,
  openedAt: T1,
}));
export const dialogTitleChanged = event('DialogTitleChanged', () => ({
  dialogId: DIALOG,
  title: 'Order 42',
  previousTitle: null,
}));
export const dialogReopened = event('DialogReopened', () => ({
  dialogId: DIALOG,
  reason: 'message_received',
}));
export const dialogClosed = event('DialogStatusChanged', () => ({
  dialogId: DIALOG,
  status: 'closed',
  previousStatus: 'open',
}));
export const dialogStatusChanged = dialogClosed;
export const dialogAssigned = event('DialogAssigned', () => ({
  dialogId: DIALOG,
  assigneeId: OPERATOR,
  previousAssigneeId: null,
}));
export const messageReceived = event('MessageReceived', () => ({
  dialogId: DIALOG,
  messageId: MESSAGE,
  contactId: CONTACT,
  text: 'hello',
  html: null,
  attachments: [],
  integrationData: null,
  createdAt: T0,
  receivedAt: T1,
  requestHash: null,
}));
export const messageSent = event('MessageSent', () => ({
  dialogId: DIALOG,
  messageId: MESSAGE,
  operatorId: OPERATOR,
  text: 'how can I help?',
  html: null,
  attachments: [],
  sentAt: T1,
  requestHash: null,
}));

export const messageDeliveryStatusChanged = event('MessageDeliveryStatusChanged', () => ({
  dialogId: DIALOG,
  messageId: MESSAGE,
  status: 'delivered',
  previousStatus: 'sent',
  reason: null,
  reportedAt: T2,
}));

export const receiveMessage = command('ReceiveMessage', () => ({
  dialogId: DIALOG,
  channelId: CHANNEL,
  mustExist: false,
  reference: null,
  title: null,
  contactId: CONTACT,
  messageId: MESSAGE,
  text: 'hello',
  html: null,
  attachments: [],
  integrationData: null,
  createdAt: T0,
  now: T1,
  requestHash: null,
}));
export const sendReply = command('SendReply', () => ({
  messageId: MESSAGE,
  operatorId: OPERATOR,
  text: 'how can I help?',
  html: null,
  attachments: [],
  now: T1,
  requestHash: null,
}));
export const assignDialog = command('AssignDialog', () => ({ assigneeId: OPERATOR }));
export const closeDialog = command('CloseDialog', () => ({}));
export const reopenDialog = command('ReopenDialog', () => ({}));
export const reportDeliveryStatus = command('ReportDeliveryStatus', () => ({
  channelId: CHANNEL,
  messageId: MESSAGE,
  status: 'delivered',
  reason: null,
  reportedAt: T2,
}));
