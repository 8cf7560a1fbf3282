/**
 * Where kept attachment files live (SPEC §2.1): PostgreSQL by default, so one backup holds
 * everything, or S3-compatible object storage. It holds sealed bytes only: files are encrypted
 * with their contact's data key before they get here (keepAttachment.ts).
 */
export interface AttachmentStorage {
  /** for the logs and the docs: `postgres` or `s3` */
  readonly kind: string;
  /** Writes (or overwrites: a retried write is the same file) the sealed bytes. */
  put(attachmentId: string, sealed: Buffer): Promise<void>;
  /** The sealed bytes, or null when nothing is stored under this id. */
  get(attachmentId: string): Promise<Buffer | null>;
}

/** An operator's upload as the list of kept files shows it: stored, with nothing to fetch. */
export type ListedUpload = Readonly<{
  attachmentId: string;
  dialogId: string;
  messageId: string;
  index: number;
  contactId: string;
  name: string;
  declaredType: string;
  size: number;
  sha256: string;
  sniffedType: string | null;
}>;

/**
 * The list of kept files (attachments.files) that serves, erases and fetches them. An upload
 * joins it when stored, before its reply is appended; listing it again (a retry) changes nothing.
 */
export interface KeptFileList {
  listUpload(file: ListedUpload): Promise<void>;
}
