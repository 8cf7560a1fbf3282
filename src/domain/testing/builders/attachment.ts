import type { RecordAttachmentFailure, RecordAttachmentStored } from '../../attachment/commands';
import type { AttachmentFetchFailed, AttachmentStored } from '../../attachment/events';

export const ATTACHMENT = 'a11a0000000000000000000a';

const placement = {
  attachmentId: ATTACHMENT,
  dialogId: 'd1a100000000000000000001',
  messageId: 'b0d500000000000000000001',
  index: 0,
};

const stored: AttachmentStored['data'] = {
  ...placement,
  source: 'fetched',
  size: 4,
  sha256: 'e'.repeat(64),
  declaredType: 'image/png',
  sniffedType: 'image/png',
  storedAt: '2026-01-01T00:00:00.000Z',
};

const failed: AttachmentFetchFailed['data'] = {
  ...placement,
  reason: 'the server answered 404',
  attempts: 1,
  failedAt: '2026-01-01T00:00:00.000Z',
};

export const recordStored = (
  over: Partial<AttachmentStored['data']> = {},
): RecordAttachmentStored => ({
  type: 'RecordAttachmentStored',
  data: { ...stored, ...over },
});
export const recordFailure = (
  over: Partial<AttachmentFetchFailed['data']> = {},
): RecordAttachmentFailure => ({ type: 'RecordAttachmentFailure', data: { ...failed, ...over } });
export const attachmentStored = (
  over: Partial<AttachmentStored['data']> = {},
): AttachmentStored => ({
  type: 'AttachmentStored',
  data: { ...stored, ...over },
});
export const attachmentFetchFailed = (
  over: Partial<AttachmentFetchFailed['data']> = {},
): AttachmentFetchFailed => ({ type: 'AttachmentFetchFailed', data: { ...failed, ...over } });
