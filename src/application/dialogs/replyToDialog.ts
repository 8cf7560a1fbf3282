import { createHash } from 'node:crypto';
import { map, type Either } from 'fp-ts/Either';
import type { DialogEvent } from '../../domain/dialog/events';
import { dialogDecider } from '../../domain/dialog/decide';
import type { MessageBody } from '../../domain/dialog/message';
import type { Dialog } from '../../domain/dialog/state';
import type { DomainError } from '../../domain/errors';
import type { DialogId, MessageId } from '../../domain/shared/ids';
import type { CommandDeps, Handled } from '../commandHandler';
import type { CommandContext } from '../context';
import { streams } from '../streams';

export type Reply = MessageBody &
  Readonly<{
    dialogId: DialogId;
    /** makes a retried request safe: the message id is derived from it */
    idempotencyKey: string | null;
    /** the id, when the caller made it first (uploaded files are stored under it) */
    messageId?: MessageId;
  }>;

export type ReplySent = Readonly<{
  messageId: MessageId;
  handled: Handled<DialogEvent, Dialog>;
}>;

const sha256 = (...parts: readonly string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex');

/** The same key in the same dialog always names the same message, in any process. */
export const replyMessageId = (dialogId: DialogId, idempotencyKey: string): MessageId =>
  sha256('reply', dialogId, idempotencyKey).slice(0, 24);

/** A new reply's id: derived from its Idempotency-Key when there is one. */
export const newReplyId = (
  deps: Pick<CommandDeps, 'ids'>,
  dialogId: DialogId,
  key: string | null,
): MessageId => (key === null ? deps.ids.objectId() : replyMessageId(dialogId, key));

/** What a retry must repeat exactly: the body and who sends it. */
const requestHashOf = (reply: Reply, operatorId: string | null): string =>
  sha256(
    JSON.stringify([
      operatorId,
      reply.text,
      reply.html,
      reply.attachments.map((a) => [a.url, a.size, a.name, a.mimeType]),
    ]),
  );

/** An operator's (or the admin's) reply: MessageSent, reopening a closed dialog. */
export const replyToDialog = async (
  deps: CommandDeps,
  reply: Reply,
  context: CommandContext,
): Promise<Either<DomainError, ReplySent>> => {
  const operatorId = context.actor.type === 'operator' ? context.actor.operatorId : null;
  const key = reply.idempotencyKey;
  const messageId = reply.messageId ?? newReplyId(deps, reply.dialogId, key);
  const result = await deps.commands.handle(
    streams.dialog(reply.dialogId),
    dialogDecider,
    {
      type: 'SendReply',
      data: {
        messageId,
        operatorId,
        text: reply.text,
        html: reply.html,
        attachments: reply.attachments,
        now: context.now.toISOString(),
        requestHash: key === null ? null : requestHashOf(reply, operatorId),
      },
    },
    context,
  );
  return map((handled: Handled<DialogEvent, Dialog>) => ({ messageId, handled }))(result);
};
