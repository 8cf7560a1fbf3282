import type { Command } from '../shared/decider';
import type { ChannelId, ContactId, DialogId, MessageId, OperatorId } from '../shared/ids';
import type { ReportedStatus } from './deliveryStatus';
import type { MessageBody } from './message';

export type ReceiveMessage = Command<
  'ReceiveMessage',
  MessageBody & {
    dialogId: DialogId;
    channelId: ChannelId;
    /** addressed by `dialog_id`: the dialog must already exist in this channel */
    mustExist: boolean;
    reference: string | null;
    title: string | null;
    contactId: ContactId;
    messageId: MessageId;
    integrationData: string | null;
    createdAt: string;
    now: string;
    requestHash: string | null;
  }
>;
export type SendReply = Command<
  'SendReply',
  MessageBody & {
    messageId: MessageId;
    operatorId: OperatorId | null;
    now: string;
    requestHash: string | null;
  }
>;
export type AssignDialog = Command<'AssignDialog', { assigneeId: OperatorId | null }>;
export type CloseDialog = Command<'CloseDialog', Record<string, never>>;
export type ReopenDialog = Command<'ReopenDialog', Record<string, never>>;

/** The integration says where an outgoing message got to (SPEC §2.1). */
export type ReportDeliveryStatus = Command<
  'ReportDeliveryStatus',
  {
    /** the channel whose token reported it: a message of another channel is not found */
    channelId: ChannelId;
    messageId: MessageId;
    status: ReportedStatus;
    /** why it failed, as the integration says; kept for `failed` only */
    reason: string | null;
    /** when it happened, by the integration's clock (its `timestamp`), else when Parley heard */
    reportedAt: string;
  }
>;

export type DialogCommand =
  ReceiveMessage | SendReply | AssignDialog | CloseDialog | ReopenDialog | ReportDeliveryStatus;
