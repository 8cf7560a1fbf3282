import type { Command } from '../shared/decider';
import type { AttachmentFetchFailed, AttachmentStored } from './events';

/** The worker (or an upload) kept the file. */
export type RecordAttachmentStored = Command<'RecordAttachmentStored', AttachmentStored['data']>;
/** The worker gave up on the file. */
export type RecordAttachmentFailure = Command<
  'RecordAttachmentFailure',
  AttachmentFetchFailed['data']
>;

export type AttachmentCommand = RecordAttachmentStored | RecordAttachmentFailure;
