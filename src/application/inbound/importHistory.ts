import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { dialogDecider } from '../../domain/dialog/decide';
import { domainError, type DomainError } from '../../domain/errors';
import type { Event } from '../../domain/shared/decider';
import type { LiveChannel } from '../channels/integrationAccess';
import { metadataFor, type CommandContext } from '../context';
import { locateDialog } from '../dialogs/postIncomingMessage';
import { isWrongExpectedVersion } from '../ports/eventStore';
import { streams } from '../streams';
import { derivedIds } from './idempotency';
import { acceptIncoming, type InboundDeps, type InboundMessageRequest } from './receiveMessage';

/**
 * That a channel's message with this external id was imported, and where it went: kept on its
 * own stream (`no_stream`), so that importing the same id again appends nothing. An application
 * record, like IdempotentRequestRecorded.
 */
export type MessageImported = Event<
  'MessageImported',
  {
    channelId: string;
    externalId: string;
    direction: 'incoming' | 'outgoing';
    dialogId: string;
    messageId: string;
  }
>;

/** One line of an import: a message either way, at its original time. */
export type HistoryMessage = Readonly<{
  externalId: string;
  direction: 'incoming' | 'outgoing';
  /** the inbound body's fields; `timestamp` is the message's original time */
  request: InboundMessageRequest & Readonly<{ timestamp: number }>;
  /** the line's hash: a line retried after a crash changes nothing */
  requestHash: string;
}>;

export type ImportOutcome = Readonly<{
  status: 'imported' | 'already_imported';
  dialogId: string;
  messageId: string;
}>;

const alreadyImported = async (
  deps: InboundDeps,
  stream: string,
): Promise<ImportOutcome | null> => {
  const [first] = await deps.store.readStream(stream, { maxCount: 1 });
  if (first === undefined) return null;
  const { dialogId, messageId } = first.data as MessageImported['data'];
  return { status: 'already_imported', dialogId, messageId };
};

/** An operator's message of the past: MessageSent at its original time, into an existing dialog. */
const importOutgoing = async (
  deps: InboundDeps,
  channel: LiveChannel,
  message: HistoryMessage,
  newId: (purpose: string) => string,
  context: CommandContext,
): Promise<Either<DomainError, { dialogId: string; messageId: string }>> => {
  const target = await locateDialog(deps.commands, channel.channelId, message.request);
  if (isLeft(target)) return target;
  const dialogId =
    target.right.kind === 'by-id'
      ? target.right.dialogId
      : target.right.kind === 'by-reference'
        ? target.right.dialogId
        : null;
  if (dialogId === null) {
    return left(
      domainError(
        'E_DIALOG_NOT_FOUND',
        'an outgoing message goes into a dialog that exists: name it by dialog_id or by the reference of an earlier incoming message',
      ),
    );
  }
  const messageId = newId('message');
  const { text, html, attachments, timestamp } = message.request;
  const sent = await deps.commands.handle(
    streams.dialog(dialogId),
    dialogDecider,
    {
      type: 'SendReply',
      data: {
        messageId,
        operatorId: null,
        text,
        html,
        attachments,
        now: new Date(timestamp).toISOString(),
        requestHash: message.requestHash,
      },
    },
    context,
  );
  return isLeft(sent) ? sent : right({ dialogId, messageId });
};

/**
 * POST /api/custom-channel/import/{channelId}, one line: incoming messages by the inbound rules
 * (contact, dialog by reference or id), outgoing ones as MessageSent, each at its original time,
 * then the import's record. Ids derive from (channel, external id): a line retried after a crash
 * lands on the very same contact, dialog and message.
 */
export const importMessage = async (
  deps: InboundDeps,
  channel: LiveChannel,
  message: HistoryMessage,
  context: CommandContext,
): Promise<Either<DomainError, ImportOutcome>> => {
  const stream = streams.imported(channel.channelId, message.externalId);
  const earlier = await alreadyImported(deps, stream);
  if (earlier !== null) return right(earlier);
  const newId = derivedIds(`import:${channel.channelId}`, message.externalId);

  let placed: Either<DomainError, { dialogId: string; messageId: string }>;
  if (message.direction === 'outgoing') {
    placed = await importOutgoing(deps, channel, message, newId, context);
  } else {
    const accepted = await acceptIncoming(deps, channel, message.request, {
      context,
      newId,
      requestHash: message.requestHash,
    });
    placed = isLeft(accepted) ? accepted : right(accepted.right.posted);
  }
  if (isLeft(placed)) return placed;

  const { dialogId, messageId } = placed.right;
  const record: MessageImported = {
    type: 'MessageImported',
    data: {
      channelId: channel.channelId,
      externalId: message.externalId,
      direction: message.direction,
      dialogId,
      messageId,
    },
  };
  try {
    await deps.store.appendToStream(
      stream,
      [
        {
          id: deps.ids.uuid(),
          type: record.type,
          data: record.data,
          metadata: metadataFor(context),
        },
      ],
      { expectedRevision: 'no_stream' },
    );
  } catch (error) {
    // a concurrent twin of this line recorded it first: the message itself was one message
    if (!isWrongExpectedVersion(error)) throw error;
  }
  return right({ status: 'imported', dialogId, messageId });
};
