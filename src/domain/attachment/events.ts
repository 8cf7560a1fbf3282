import type { Event } from '../shared/decider';

/** Where a kept file came from: fetched from the integrator's URL, or uploaded with a reply. */
export type AttachmentSource = 'fetched' | 'uploaded';

/** Where a file's message is: enough for any read model to place the outcome without a lookup. */
type Placement = {
  attachmentId: string;
  dialogId: string;
  messageId: string;
  /** the attachment's place in its message's `attachments` */
  index: number;
};

/**
 * The file is kept: its bytes (sealed under the contact's data key) are in attachment storage.
 * `sha256` is of the plaintext, so a served file can be checked against it.
 */
export type AttachmentStored = Event<
  'AttachmentStored',
  Placement & {
    source: AttachmentSource;
    size: number;
    sha256: string;
    /** what the message (or the upload) said the type is */
    declaredType: string;
    /** what the first bytes say (magic numbers); null when they match no known type */
    sniffedType: string | null;
    storedAt: string;
  }
>;

/** The file could not be kept, for good (after the retries): the reason says why. */
export type AttachmentFetchFailed = Event<
  'AttachmentFetchFailed',
  Placement & { reason: string; attempts: number; failedAt: string }
>;

export type AttachmentEvent = AttachmentStored | AttachmentFetchFailed;

export const attachmentEventTypes: readonly AttachmentEvent['type'][] = [
  'AttachmentStored',
  'AttachmentFetchFailed',
];
