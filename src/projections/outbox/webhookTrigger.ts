import type { DialogEvent } from '../../domain/dialog/events';
import type { Attachment } from '../../domain/dialog/message';
import type { WebhookEventType } from '../../domain/webhook/eventTypes';

export type DialogChange = Readonly<{
  field: 'status' | 'assignee_id' | 'title';
  from: string | null;
  to: string | null;
}>;

export type WebhookMessage = Readonly<{
  id: string;
  direction: 'incoming' | 'outgoing';
  text: string | null;
  html: string | null;
  attachments: readonly Attachment[];
  /** incoming only */
  integrationData?: string | null;
  contactId?: string;
  /** outgoing only: null when the admin token replied */
  operatorId?: string | null;
  /** the sender's time (incoming) or when the operator sent it */
  createdAt: string;
  receivedAt?: string;
}>;

export type WebhookTrigger = Readonly<{
  type: WebhookEventType;
  changes: readonly DialogChange[];
  message: WebhookMessage | null;
}>;

/**
 * Which webhook event a dialog event makes, if any: dialog.created on DialogOpened,
 * dialog.updated when status, assignee or title change (a reopening by activity is a status
 * change too), message.created for every message, incoming and outgoing.
 */
export const webhookTriggerOf = (event: DialogEvent): WebhookTrigger | null => {
  const updated = (change: DialogChange): WebhookTrigger => ({
    type: 'dialog.updated',
    changes: [change],
    message: null,
  });
  switch (event.type) {
    case 'DialogOpened':
      return { type: 'dialog.created', changes: [], message: null };
    case 'DialogTitleChanged':
      return updated({ field: 'title', from: event.data.previousTitle, to: event.data.title });
    case 'DialogReopened':
      return updated({ field: 'status', from: 'closed', to: 'open' });
    case 'DialogStatusChanged':
      return updated({
        field: 'status',
        from: event.data.previousStatus,
        to: event.data.status,
      });
    case 'DialogAssigned':
      return updated({
        field: 'assignee_id',
        from: event.data.previousAssigneeId,
        to: event.data.assigneeId,
      });
    case 'MessageReceived': {
      const m = event.data;
      return {
        type: 'message.created',
        changes: [],
        message: {
          id: m.messageId,
          direction: 'incoming',
          text: m.text,
          html: m.html,
          attachments: m.attachments,
          integrationData: m.integrationData,
          contactId: m.contactId,
          createdAt: m.createdAt,
          receivedAt: m.receivedAt,
        },
      };
    }
    case 'MessageSent': {
      const m = event.data;
      return {
        type: 'message.created',
        changes: [],
        message: {
          id: m.messageId,
          direction: 'outgoing',
          text: m.text,
          html: m.html,
          attachments: m.attachments,
          operatorId: m.operatorId,
          createdAt: m.sentAt,
        },
      };
    }
  }
};
