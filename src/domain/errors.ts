/**
 * Every error code Parley answers with: the seed's codes first, then ours.
 * Transport codes live here too so that the one list in docs and OpenAPI stays complete;
 * the HTTP layer maps each code to its status (src/infrastructure/http/errorStatus.ts).
 */
export const errorCodes = [
  // the seed's
  'E_CONTACT_INFO_REQUIRED',
  'E_CUSTOM_CONTACTS_REQUIRED',
  'E_CONTACTS_VALUE_REQUIRED',
  'E_MALFORMED_CONTACT_ID',
  'E_INVALID_TOKEN',
  'E_CHANNEL_NOT_ENABLED',
  'E_CHANNEL_DELETED',
  'E_CONTACT_NOT_FOUND',
  'E_CONTACT_DELETED',
  'E_DIALOG_NOT_FOUND',
  // ours: requests
  'E_MALFORMED_JSON',
  'E_VALIDATION',
  'E_CONTACT_INFO_CONFLICT',
  'E_MESSAGE_EMPTY',
  'E_IDEMPOTENCY_CONFLICT',
  'E_MESSAGE_NOT_FOUND',
  'E_MESSAGE_NOT_OUTGOING',
  'E_PAYLOAD_TOO_LARGE',
  'E_UNSUPPORTED_MEDIA_TYPE',
  'E_RATE_LIMITED',
  'E_UNAVAILABLE',
  // ours: management and operators
  'E_UNAUTHORIZED',
  'E_FORBIDDEN',
  'E_NOT_FOUND',
  'E_CHANNEL_NOT_FOUND',
  'E_TOKEN_NOT_FOUND',
  'E_OPERATOR_NOT_FOUND',
  'E_WEBHOOK_NOT_FOUND',
  'E_DELIVERY_NOT_FOUND',
  'E_WEBHOOK_URL_FORBIDDEN',
  'E_CONFLICT',
  // the contact's data was erased on request (SPEC §8): gone for good, unlike a deleted one
  'E_CONTACT_ERASED',
  // attachments (SPEC §2.1)
  'E_ATTACHMENT_NOT_FOUND',
  'E_ATTACHMENT_NOT_STORED',
  'E_ATTACHMENT_ERASED',
  'E_ATTACHMENT_LINK_INVALID',
  'E_ATTACHMENT_LINK_EXPIRED',
  // an operator deleted (tombstoned) the stream in EventStoreDB: it can never be written again
  'E_STREAM_DELETED',
  // a bug on our side: still a JSON body with a request id, never a stack trace
  'E_INTERNAL',
  // internal to the write side: a claim held by someone else, a contact merged away.
  // Command handlers resolve these; they never reach a client.
  'E_CLAIM_HELD',
  'E_CONTACT_MERGED',
  'E_ALREADY_EXISTS',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export type DomainError = Readonly<{
  code: ErrorCode;
  message: string;
  details?: readonly unknown[];
}>;

export const domainError = (
  code: ErrorCode,
  message: string,
  details?: readonly unknown[],
): DomainError => (details === undefined ? { code, message } : { code, message, details });

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
