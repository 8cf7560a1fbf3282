import { createHmac } from 'node:crypto';

const PREFIX = 'whsec_';

/**
 * Standard Webhooks: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the base64
 * part of the `whsec_` secret. Several secrets (during a rotation) give several signatures,
 * separated by spaces; a receiver accepts the message when any one verifies.
 */
export const signatureHeader = (
  secrets: readonly string[],
  messageId: string,
  timestampSeconds: number,
  body: string,
): string =>
  secrets
    .map((secret) => {
      const key = Buffer.from(
        secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret,
        'base64',
      );
      const mac = createHmac('sha256', key)
        .update(`${messageId}.${timestampSeconds}.${body}`)
        .digest('base64');
      return `v1,${mac}`;
    })
    .join(' ');

/** Each delivery's place in its subscription's feed (GET /api/webhooks/{id}/events?after=). */
export const FEED_CURSOR_HEADER = 'parley-feed-cursor';

export const webhookHeaders = (
  secrets: readonly string[],
  messageId: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> => ({
  'content-type': 'application/json',
  'user-agent': 'Parley-Webhooks/1',
  'webhook-id': messageId,
  'webhook-timestamp': String(timestampSeconds),
  'webhook-signature': signatureHeader(secrets, messageId, timestampSeconds, body),
});
