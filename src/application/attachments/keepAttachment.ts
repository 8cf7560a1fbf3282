import { createHash } from 'node:crypto';
import type { Either } from 'fp-ts/Either';
import type { AttachmentEvent, AttachmentSource } from '../../domain/attachment/events';
import { attachmentDecider } from '../../domain/attachment/decide';
import type { AttachmentState } from '../../domain/attachment/state';
import type { DomainError } from '../../domain/errors';
import type { CommandHandler, Handled } from '../commandHandler';
import type { CommandContext } from '../context';
import type { AttachmentStorage } from '../ports/attachmentStorage';
import type { SubjectKeys } from '../ports/subjectKeys';
import { streams } from '../streams';
import { attachmentAad } from './attachmentId';
import { sniffType } from './sniffType';

export type AttachmentDeps = Readonly<{
  commands: CommandHandler;
  storage: AttachmentStorage;
  subjectKeys: SubjectKeys;
}>;

/** Where an attachment belongs: its message, and the contact whose data it is. */
export type AttachmentPlace = Readonly<{
  attachmentId: string;
  dialogId: string;
  messageId: string;
  index: number;
  /** the dialog's contact: the subject whose data key seals the file */
  contactId: string;
}>;

export type KeptFile = Readonly<{ size: number; sha256: string; sniffedType: string | null }>;

/**
 * Seals a file under its contact's data key (erasing the contact erases the file) and writes
 * it to storage. Writing it again (a retry) writes the same file.
 */
export const storeFile = async (
  deps: Pick<AttachmentDeps, 'storage' | 'subjectKeys'>,
  place: AttachmentPlace,
  bytes: Buffer,
): Promise<KeptFile> => {
  const sealed = await deps.subjectKeys.seal(
    place.contactId,
    bytes,
    attachmentAad(place.attachmentId),
  );
  await deps.storage.put(place.attachmentId, sealed);
  return {
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sniffedType: sniffType(bytes),
  };
};

/** Records a stored file as AttachmentStored in its stream; a second record appends nothing. */
export const recordAttachmentStored = (
  deps: Pick<AttachmentDeps, 'commands'>,
  place: AttachmentPlace,
  file: KeptFile & Readonly<{ declaredType: string; source: AttachmentSource }>,
  context: CommandContext,
): Promise<Either<DomainError, Handled<AttachmentEvent, AttachmentState>>> => {
  const { contactId: _subject, ...placement } = place;
  return deps.commands.handle(
    streams.attachment(place.attachmentId),
    attachmentDecider,
    {
      type: 'RecordAttachmentStored',
      data: { ...placement, ...file, storedAt: context.now.toISOString() },
    },
    context,
  );
};

/** Keeps a fetched file: stored, then recorded. */
export const keepAttachment = async (
  deps: AttachmentDeps,
  place: AttachmentPlace,
  file: Readonly<{ bytes: Buffer; declaredType: string; source: AttachmentSource }>,
  context: CommandContext,
): Promise<
  Readonly<{
    kept: KeptFile;
    result: Either<DomainError, Handled<AttachmentEvent, AttachmentState>>;
  }>
> => {
  const kept = await storeFile(deps, place, file.bytes);
  const result = await recordAttachmentStored(
    deps,
    place,
    { ...kept, declaredType: file.declaredType, source: file.source },
    context,
  );
  return { kept, result };
};

/** Records that a file could not be kept, for good. */
export const recordAttachmentFailure = (
  deps: Pick<AttachmentDeps, 'commands'>,
  place: AttachmentPlace,
  failure: Readonly<{ reason: string; attempts: number }>,
  context: CommandContext,
) => {
  const { contactId: _subject, ...placement } = place;
  return deps.commands.handle(
    streams.attachment(place.attachmentId),
    attachmentDecider,
    {
      type: 'RecordAttachmentFailure',
      data: { ...placement, ...failure, failedAt: context.now.toISOString() },
    },
    context,
  );
};

/** A kept file's plaintext; null when its contact was erased (the data key is gone). */
export const openAttachment = async (
  deps: Pick<AttachmentDeps, 'storage' | 'subjectKeys'>,
  attachmentId: string,
  contactId: string,
): Promise<Buffer | 'missing' | 'erased'> => {
  const sealed = await deps.storage.get(attachmentId);
  if (sealed === null) return 'missing';
  const plain = await deps.subjectKeys.open(contactId, sealed, attachmentAad(attachmentId));
  return plain ?? 'erased';
};
