import { left, mapLeft, map, type Either } from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import {
  deliveryStatusOf,
  type DeliveryStatus,
  type ReportedStatus,
} from '../../domain/dialog/deliveryStatus';
import { dialogDecider } from '../../domain/dialog/decide';
import { domainError, type DomainError } from '../../domain/errors';
import type { CommandDeps } from '../commandHandler';
import type { CommandContext } from '../context';
import type { Checkpoint } from '../ports/eventStore';
import { streams } from '../streams';

/** Finds the dialog of a channel's message by the message's id alone (a read model). */
export type MessageLocator = (channelId: string, messageId: string) => Promise<string | null>;

export type DeliveryReport = Readonly<{
  channelId: string;
  messageId: string;
  /** the message's dialog when the integration says it (webhook payloads carry it) */
  dialogId: string | null;
  status: ReportedStatus;
  reason: string | null;
  /** ms since the epoch; null: now */
  timestamp: number | null;
}>;

export type DeliveryReported = Readonly<{
  dialogId: string;
  messageId: string;
  /** the message's status after the report: a report never moves it back */
  status: DeliveryStatus;
  /** false: the report changed nothing (a repeat, or behind what is known) */
  changed: boolean;
  checkpoint: Checkpoint | null;
}>;

const notFound = (): DomainError =>
  domainError('E_MESSAGE_NOT_FOUND', 'message_id names no message of this channel');

/**
 * POST /api/custom-channel/message/{channelId}/status: the integration's report on an outgoing
 * message, decided on the dialog's stream (domain/dialog/deliveryStatus.ts).
 */
export const reportDelivery = async (
  deps: CommandDeps & Readonly<{ locateMessage: MessageLocator }>,
  report: DeliveryReport,
  context: CommandContext,
): Promise<Either<DomainError, DeliveryReported>> => {
  const dialogId =
    report.dialogId ?? (await deps.locateMessage(report.channelId, report.messageId));
  if (dialogId === null) return left(notFound());
  const handled = await deps.commands.handle(
    streams.dialog(dialogId),
    dialogDecider,
    {
      type: 'ReportDeliveryStatus',
      data: {
        channelId: report.channelId,
        messageId: report.messageId,
        status: report.status,
        reason: report.reason,
        reportedAt: new Date(report.timestamp ?? context.now.getTime()).toISOString(),
      },
    },
    context,
  );
  return pipe(
    handled,
    mapLeft((e) => (e.code === 'E_DIALOG_NOT_FOUND' ? notFound() : e)),
    map(({ state, events, checkpoint }) => ({
      dialogId,
      messageId: report.messageId,
      status:
        state.status === 'absent' ? 'sent' : deliveryStatusOf(state.deliveries, report.messageId),
      changed: events.length > 0,
      checkpoint,
    })),
  );
};
