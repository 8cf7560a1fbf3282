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
