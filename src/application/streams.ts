import { createHash } from 'node:crypto';

const sha256 = (...parts: readonly string[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex');

/** Stream names, in one place: docs/events.md lists them for auditors. */
export const streams = {
  channel: (channelId: string) => `channel-${channelId}`,
  dialog: (dialogId: string) => `dialog-${dialogId}`,
  contact: (contactId: string) => `contact-${contactId}`,
  operator: (operatorId: string) => `operator-${operatorId}`,
  webhook: (webhookId: string) => `webhook-${webhookId}`,
  /** the one outcome of keeping an attachment's file: stored or failed */
  attachment: (attachmentId: string) => `attachment-${attachmentId}`,
  /** every auditor: they are few, so one stream lists them without a read model */
  auditors: () => 'auditors',
  /** the one dialog a reference names within a channel */
  dialogReference: (channelId: string, reference: string) =>
    `dialog-reference-${sha256(channelId, reference)}`,
  /** the contact that owns a contact data match key */
  contactKey: (key: string) => `contact-key-${sha256(key)}`,
  /** the contact a contact data id was created for */
  contactData: (dataId: string) => `contact-data-${dataId}`,
  /** the one import of a channel's message with this external id (a history import) */
  imported: (channelId: string, externalId: string) => `import-${sha256(channelId, externalId)}`,
  /** the recorded outcome of a request made with an Idempotency-Key */
  idempotency: (scope: string, key: string) => `idempotency-${sha256(scope, key)}`,
} as const;

/** Stream prefixes by category, for subscriptions that only need some of them. */
export const streamCategories = {
  channel: 'channel-',
  dialog: 'dialog-',
  contact: 'contact-',
  operator: 'operator-',
  webhook: 'webhook-',
  attachment: 'attachment-',
} as const;
