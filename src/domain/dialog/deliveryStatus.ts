import { left, right, type Either } from 'fp-ts/Either';
import { domainError, type DomainError } from '../errors';
import type { MessageId } from '../shared/ids';
import type { ReportDeliveryStatus } from './commands';
import type { DialogEvent } from './events';
import { findMessage, type DeliveryTrail, type Dialog } from './state';

/** Where an outgoing message is, as the integration reports it; `sent` until it reports. */
export type DeliveryStatus = 'sent' | 'failed' | 'delivered' | 'read';
/** What an integration may report. */
export type ReportedStatus = Exclude<DeliveryStatus, 'sent'>;
export const reportedStatuses: readonly ReportedStatus[] = ['delivered', 'read', 'failed'];

/**
 * The lattice, one chain: sent < failed < delivered < read. A report moves a status only up it,
 * so reports arriving out of order end where the furthest one says: `read` beats `delivered`;
 * `delivered` after `failed` wins (the integration retried and got through); `failed` after
 * `delivered` or `read` changes nothing (the customer evidently has the message). A report of
 * the status a message already has changes nothing either: reports are idempotent.
 */
const rank: Readonly<Record<DeliveryStatus, number>> = {
  sent: 0,
  failed: 1,
  delivered: 2,
  read: 3,
};

export const supersedes = (next: DeliveryStatus, current: DeliveryStatus): boolean =>
  rank[next] > rank[current];

/** A message's current status: the newest report in the trail, else `sent`. */
export const deliveryStatusOf = (trail: DeliveryTrail, messageId: MessageId): DeliveryStatus => {
  for (let node = trail; node !== null; node = node.previous) {
    if (node.messageId === messageId) return node.status;
  }
  return 'sent';
};

type Existing = Exclude<Dialog, { status: 'absent' }>;

/** An integration's report on an outgoing message of this dialog. */
export const reportDeliveryStatus = (
  { data }: ReportDeliveryStatus,
  dialog: Existing,
): Either<DomainError, readonly DialogEvent[]> => {
  const message =
    dialog.channelId === data.channelId ? findMessage(dialog.messages, data.messageId) : null;
  if (message === null) {
    return left(domainError('E_MESSAGE_NOT_FOUND', 'message_id names no message of this channel'));
  }
  if (message.direction !== 'outgoing') {
    return left(
      domainError(
        'E_MESSAGE_NOT_OUTGOING',
        'delivery status is reported for outgoing messages (operator replies) only',
      ),
    );
  }
  const previousStatus = deliveryStatusOf(dialog.deliveries, data.messageId);
  if (!supersedes(data.status, previousStatus)) return right([]);
  return right([
    {
      type: 'MessageDeliveryStatusChanged',
      data: {
        dialogId: dialog.dialogId,
        messageId: data.messageId,
        status: data.status,
        previousStatus,
        reason: data.status === 'failed' ? data.reason : null,
        reportedAt: data.reportedAt,
      },
    },
  ]);
};
