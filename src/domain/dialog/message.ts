/**
 * An attachment as the message names it. Parley keeps a copy of the file (SPEC §2.1): an
 * incoming one is fetched from `url` in the background; `id` is present only on a file Parley
 * already holds when the message is written (an operator's upload), whose `url` is Parley's own.
 */
export type Attachment = Readonly<{
  url: string;
  size: number;
  name: string;
  mimeType: string;
  id?: string;
}>;

/** What a message says, whoever wrote it. */
export type MessageBody = Readonly<{
  text: string | null;
  /** HTML exactly as received, kept for audit; sanitized wherever it is shown or served. */
  html: string | null;
  attachments: readonly Attachment[];
}>;

export const isEmptyBody = (body: MessageBody): boolean =>
  !body.text && !body.html && body.attachments.length === 0;
