import { absurd } from 'fp-ts/function';
import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import type { Decider } from '../shared/decider';
import type { MessageId } from '../shared/ids';
import type { AssignDialog, DialogCommand, ReceiveMessage, SendReply } from './commands';
import { reportDeliveryStatus } from './deliveryStatus';
import type { DialogEvent } from './events';
import { isEmptyBody } from './message';
import { evolve, findMessage, initialState, type Dialog } from './state';

type Decision = Either<DomainError, readonly DialogEvent[]>;
type Existing = Exclude<Dialog, { status: 'absent' }>;

const dialogNotFound = (): Decision => left(domainError('E_DIALOG_NOT_FOUND', 'dialog not found'));
const messageEmpty = (): Decision =>
  left(domainError('E_MESSAGE_EMPTY', 'a message needs a non-empty text, html or attachments'));

/**
 * A message id already in the dialog means a retried request: the same request changes nothing,
 * a different one under the same Idempotency-Key is refused.
 */
const alreadyRecorded = (
  dialog: Existing,
  messageId: MessageId,
  requestHash: string | null,
): Decision | null => {
  const known = findMessage(dialog.messages, messageId);
  if (known === null) return null;
  return known.requestHash === requestHash
    ? right([])
    : left(
        domainError(
          'E_IDEMPOTENCY_CONFLICT',
          'this Idempotency-Key was used for a different request',
        ),
      );
};

const receiveMessage = ({ data }: ReceiveMessage, state: Dialog): Decision => {
  if (isEmptyBody(data)) return messageEmpty();
  if (state.status !== 'absent' && state.channelId !== data.channelId) return dialogNotFound();
  if (state.status === 'absent' && data.mustExist) return dialogNotFound();

  const events: DialogEvent[] = [];
  if (state.status === 'absent') {
    events.push({
      type: 'DialogOpened',
      data: {
        dialogId: data.dialogId,
        channelId: data.channelId,
        reference: data.reference,
        title: data.title,
        contactId: data.contactId,
        openedAt: data.now,
      },
    });
  } else {
    const retried = alreadyRecorded(state, data.messageId, data.requestHash);
    if (retried !== null) return retried;
    if (data.title !== null && data.title !== state.title) {
      events.push({
        type: 'DialogTitleChanged',
        data: { dialogId: state.dialogId, title: data.title, previousTitle: state.title },
      });
    }
    if (state.status === 'closed') {
      events.push({
        type: 'DialogReopened',
        data: { dialogId: state.dialogId, reason: 'message_received' },
      });
    }
  }
  events.push({
    type: 'MessageReceived',
    data: {
      dialogId: data.dialogId,
      messageId: data.messageId,
      contactId: data.contactId,
      text: data.text,
      html: data.html,
      attachments: data.attachments,
      integrationData: data.integrationData,
      createdAt: data.createdAt,
      receivedAt: data.now,
      requestHash: data.requestHash,
    },
  });
  return right(events);
};

const sendReply = ({ data }: SendReply, dialog: Existing): Decision => {
  if (isEmptyBody(data)) return messageEmpty();
  const retried = alreadyRecorded(dialog, data.messageId, data.requestHash);
  if (retried !== null) return retried;
  const reopened: DialogEvent[] =
    dialog.status === 'closed'
      ? [{ type: 'DialogReopened', data: { dialogId: dialog.dialogId, reason: 'reply_sent' } }]
      : [];
  return right([
    ...reopened,
    {
      type: 'MessageSent',
      data: {
        dialogId: dialog.dialogId,
        messageId: data.messageId,
        operatorId: data.operatorId,
        text: data.text,
        html: data.html,
        attachments: data.attachments,
        sentAt: data.now,
        requestHash: data.requestHash,
      },
    },
  ]);
};

const assign = ({ data }: AssignDialog, dialog: Existing): Decision =>
  dialog.assigneeId === data.assigneeId
    ? right([])
    : right([
        {
          type: 'DialogAssigned',
          data: {
            dialogId: dialog.dialogId,
            assigneeId: data.assigneeId,
            previousAssigneeId: dialog.assigneeId,
          },
        },
      ]);

const changeStatus = (dialog: Existing, status: Existing['status']): Decision =>
  dialog.status === status
    ? right([])
    : right([
        {
          type: 'DialogStatusChanged',
          data: { dialogId: dialog.dialogId, status, previousStatus: dialog.status },
        },
      ]);

export const decide = (command: DialogCommand, state: Dialog): Decision => {
  if (command.type === 'ReceiveMessage') return receiveMessage(command, state);
  if (state.status === 'absent') return dialogNotFound();
  switch (command.type) {
    case 'SendReply':
      return sendReply(command, state);
    case 'AssignDialog':
      return assign(command, state);
    case 'CloseDialog':
      return changeStatus(state, 'closed');
    case 'ReopenDialog':
      return changeStatus(state, 'open');
    case 'ReportDeliveryStatus':
      return reportDeliveryStatus(command, state);
    default:
      return absurd(command);
  }
};

export const dialogDecider: Decider<DialogCommand, DialogEvent, Dialog> = {
  initialState,
  evolve,
  decide,
};
