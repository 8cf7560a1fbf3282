/** An attachment is metadata only: Parley never downloads it. */
export type Attachment = Readonly<{ url: string; size: number; name: string; mimeType: string }>;

/** What a message says, whoever wrote it. */
export type MessageBody = Readonly<{
  text: string | null;
  /** HTML exactly as received, kept for audit; sanitized wherever it is shown or served. */
  html: string | null;
  attachments: readonly Attachment[];
}>;

export const isEmptyBody = (body: MessageBody): boolean =>
  !body.text && !body.html && body.attachments.length === 0;
