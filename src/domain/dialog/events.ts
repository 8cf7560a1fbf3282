import type { Event } from '../shared/decider';
import type { ChannelId, ContactId, DialogId, MessageId, OperatorId } from '../shared/ids';
import type { DeliveryStatus, ReportedStatus } from './deliveryStatus';
import type { MessageBody } from './message';

export type DialogStatus = 'open' | 'closed';

export type DialogOpened = Event<
  'DialogOpened',
  {
    dialogId: DialogId;
    channelId: ChannelId;
    reference: string | null;
    title: string | null;
    contactId: ContactId;
    openedAt: string;
  }
>;
export type DialogTitleChanged = Event<
  'DialogTitleChanged',
  { dialogId: DialogId; title: string; previousTitle: string | null }
>;
/** A closed dialog opened again by activity: a customer's message or an operator's reply. */
export type DialogReopened = Event<
  'DialogReopened',
  { dialogId: DialogId; reason: 'message_received' | 'reply_sent' }
>;
/** An operator's explicit close or reopen. */
export type DialogStatusChanged = Event<
  'DialogStatusChanged',
  { dialogId: DialogId; status: DialogStatus; previousStatus: DialogStatus }
>;
export type DialogAssigned = Event<
  'DialogAssigned',
  { dialogId: DialogId; assigneeId: OperatorId | null; previousAssigneeId: OperatorId | null }
>;
/** An incoming message from the customer, as posted by the integration. */
export type MessageReceived = Event<
  'MessageReceived',
  MessageBody & {
    dialogId: DialogId;
    messageId: MessageId;
    contactId: ContactId;
    integrationData: string | null;
    /** the sender's creation time (the request's `timestamp`), ISO 8601 */
    createdAt: string;
    /** when Parley accepted it, ISO 8601 */
    receivedAt: string;
    /** hash of the request that carried an Idempotency-Key, to tell a retry from a reuse */
    requestHash: string | null;
  }
>;
/** An outgoing reply written by an operator. */
export type MessageSent = Event<
  'MessageSent',
  MessageBody & {
    dialogId: DialogId;
    messageId: MessageId;
    operatorId: OperatorId | null;
    sentAt: string;
    requestHash: string | null;
  }
>;

/** An outgoing message moved up the delivery lattice (deliveryStatus.ts), as reported. */
export type MessageDeliveryStatusChanged = Event<
  'MessageDeliveryStatusChanged',
  {
    dialogId: DialogId;
    messageId: MessageId;
    status: ReportedStatus;
    previousStatus: DeliveryStatus;
    /** `failed` only: the integration's reason, if it gave one */
    reason: string | null;
    /** the integration's time for it, else when Parley heard, ISO 8601 */
    reportedAt: string;
  }
>;

export type DialogEvent =
  | DialogOpened
  | DialogTitleChanged
  | DialogReopened
  | DialogStatusChanged
  | DialogAssigned
  | MessageReceived
  | MessageSent
  | MessageDeliveryStatusChanged;

export const dialogEventTypes: readonly DialogEvent['type'][] = [
  'DialogOpened',
  'DialogTitleChanged',
  'DialogReopened',
  'DialogStatusChanged',
  'DialogAssigned',
  'MessageReceived',
  'MessageSent',
  'MessageDeliveryStatusChanged',
];
