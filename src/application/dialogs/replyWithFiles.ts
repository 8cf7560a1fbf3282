import { isLeft, left, type Either } from 'fp-ts/Either';
import { dialogDecider } from '../../domain/dialog/decide';
import type { Attachment, MessageBody } from '../../domain/dialog/message';
import { domainError, type DomainError } from '../../domain/errors';
import { attachmentIdOf } from '../attachments/attachmentId';
import {
  recordAttachmentStored,
  storeFile,
  type AttachmentDeps,
  type AttachmentPlace,
  type KeptFile,
} from '../attachments/keepAttachment';
import type { CommandDeps } from '../commandHandler';
import type { CommandContext } from '../context';
import type { KeptFileList } from '../ports/attachmentStorage';
import { streams } from '../streams';
import { newReplyId, replyToDialog, type Reply, type ReplySent } from './replyToDialog';

/** A file an operator sent with a reply, as received (the HTTP layer checked its name and type). */
export type ReplyFile = Readonly<{ name: string; mimeType: string; bytes: Buffer }>;

export type ReplyWithFiles = Omit<Reply, 'messageId' | 'attachments'> &
  Readonly<{ attachments: MessageBody['attachments']; files: readonly ReplyFile[] }>;

export type ReplyWithFilesDeps = CommandDeps &
  AttachmentDeps &
  Readonly<{
    /** Parley's own address: an uploaded file is named by its URL there */
    publicUrl: string;
    keptFiles: KeptFileList;
  }>;

type StoredUpload = Readonly<{
  place: AttachmentPlace;
  kept: KeptFile;
  declaredType: string;
  attachment: Attachment;
}>;

/**
 * Stores each file sealed with the dialog's contact key and lists it as kept, so the reply
 * names files Parley already holds (`id`, and Parley's own URL): nothing to fetch. Ids derive
 * from the reply's id, so a retried request stores the same files under the same ids.
 */
const storeUploads = async (
  deps: ReplyWithFilesDeps,
  target: Readonly<{ dialogId: string; messageId: string; contactId: string; first: number }>,
  files: readonly ReplyFile[],
): Promise<StoredUpload[]> => {
  const stored: StoredUpload[] = [];
  for (const [offset, file] of files.entries()) {
    const index = target.first + offset;
    const attachmentId = attachmentIdOf(target.messageId, index);
    const { dialogId, messageId, contactId } = target;
    const place: AttachmentPlace = { attachmentId, dialogId, messageId, index, contactId };
    const kept = await storeFile(deps, place, file.bytes);
    await deps.keptFiles.listUpload({
      ...place,
      ...kept,
      name: file.name,
      declaredType: file.mimeType,
    });
    stored.push({
      place,
      kept,
      declaredType: file.mimeType,
      attachment: {
        id: attachmentId,
        url: `${deps.publicUrl}/api/attachments/${attachmentId}`,
        size: kept.size,
        name: file.name,
        mimeType: file.mimeType,
      },
    });
  }
  return stored;
};

/**
 * An operator's reply that carries files (SPEC §2.1): the files are stored first, under the
 * reply's id, then the reply (MessageSent) names them, then each file's AttachmentStored is
 * recorded. A dialog that does not exist stores nothing.
 */
export const replyWithFiles = async (
  deps: ReplyWithFilesDeps,
  reply: ReplyWithFiles,
  context: CommandContext,
): Promise<Either<DomainError, ReplySent>> => {
  const { files, ...body } = reply;
  const dialog = await deps.commands.load(streams.dialog(reply.dialogId), dialogDecider);
  // the files are sealed with the contact's key: without a dialog there is no contact
  if (dialog.state.status === 'absent')
    return left(domainError('E_DIALOG_NOT_FOUND', 'dialog not found'));
  const messageId = newReplyId(deps, reply.dialogId, reply.idempotencyKey);
  const uploads = await storeUploads(
    deps,
    {
      dialogId: reply.dialogId,
      messageId,
      contactId: dialog.state.contactId,
      first: reply.attachments.length,
    },
    files,
  );
  const sent = await replyToDialog(
    deps,
    {
      ...body,
      messageId,
      attachments: [...reply.attachments, ...uploads.map((u) => u.attachment)],
    },
    context,
  );
  if (isLeft(sent)) return sent;
  for (const upload of uploads) {
    const recorded = await recordAttachmentStored(
      deps,
      upload.place,
      { ...upload.kept, declaredType: upload.declaredType, source: 'uploaded' },
      context,
    );
    // the reply is appended: a refusal here is no 4xx (those append nothing) but a fault
    if (isLeft(recorded)) throw new Error(recorded.left.message);
  }
  return sent;
};
