import { isLeft } from 'fp-ts/Either';
import { attachmentIdOf } from '../../application/attachments/attachmentId';
import {
  recordAttachmentStored,
  storeFile,
  type AttachmentDeps,
  type AttachmentPlace,
  type KeptFile,
} from '../../application/attachments/keepAttachment';
import type { CommandContext } from '../../application/context';
import type { Attachment } from '../../domain/dialog/message';
import type { ParleyDeps } from '../parleyDeps';
import type { UploadedFile } from '../http/middleware/multipartBody';
import { insertUploadedFile } from './fetchQueue';

export type UploadDeps = Pick<ParleyDeps, 'pool' | 'publicUrl'> & AttachmentDeps;

export type StoredUpload = Readonly<{
  place: AttachmentPlace;
  kept: KeptFile;
  declaredType: string;
  attachment: Attachment;
}>;

/**
 * An operator's files, stored before the reply that carries them is appended: the reply then
 * names files Parley already holds (`id`, and Parley's own URL), so there is nothing to fetch.
 * Ids derive from the reply's id, so a retried request stores the same files under the same ids.
 */
export const storeUploads = async (
  deps: UploadDeps,
  target: Readonly<{ dialogId: string; messageId: string; contactId: string; first: number }>,
  files: readonly UploadedFile[],
): Promise<StoredUpload[]> => {
  const stored: StoredUpload[] = [];
  for (const [offset, file] of files.entries()) {
    const index = target.first + offset;
    const attachmentId = attachmentIdOf(target.messageId, index);
    const place: AttachmentPlace = {
      attachmentId,
      dialogId: target.dialogId,
      messageId: target.messageId,
      index,
      contactId: target.contactId,
    };
    const kept = await storeFile(deps, place, file.bytes);
    await insertUploadedFile(deps.pool, {
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

/** Once the reply is appended: each upload's AttachmentStored. */
export const recordUploads = async (
  deps: UploadDeps,
  uploads: readonly StoredUpload[],
  context: CommandContext,
): Promise<void> => {
  for (const upload of uploads) {
    const recorded = await recordAttachmentStored(
      deps,
      upload.place,
      { ...upload.kept, declaredType: upload.declaredType, source: 'uploaded' },
      context,
    );
    if (isLeft(recorded)) throw new Error(recorded.left.message);
  }
};
