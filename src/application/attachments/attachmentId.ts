import { createHash } from 'node:crypto';
import type { Attachment } from '../../domain/dialog/message';

/**
 * The id of a message's attachment: derived from the message and its place, so that every
 * process, every replay of the log and every message written before attachments were kept
 * name it alike. 24 hex digits, like every other id in paths.
 */
export const attachmentIdOf = (messageId: string, index: number): string =>
  createHash('sha256')
    .update(`attachment\u0000${messageId}\u0000${index}`)
    .digest('hex')
    .slice(0, 24);

/** An uploaded file carries its id; any other is derived. */
export const idOfAttachment = (messageId: string, attachment: Attachment, index: number): string =>
  attachment.id ?? attachmentIdOf(messageId, index);

/** What a file is sealed with (AAD): a sealed file cannot pass for another attachment's. */
export const attachmentAad = (attachmentId: string): string => `attachment:${attachmentId}`;
