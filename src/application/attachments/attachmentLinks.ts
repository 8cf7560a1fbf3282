import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed attachment links for integrators (SPEC §2.1): an HMAC-SHA256, under a server secret,
 * of the attachment id and the expiry. Anyone holding the link may fetch the file until it
 * expires; changing the id or the expiry breaks the signature.
 */
export type AttachmentLinks = Readonly<{
  /** the link's absolute URL, valid until `expiresAt` */
  signedUrl: (attachmentId: string, expiresAt: Date) => string;
  /** how long a link made now lives, in seconds */
  ttlSeconds: number;
  verify: (
    attachmentId: string,
    expires: string | undefined,
    signature: string | undefined,
    now: Date,
  ) => 'valid' | 'invalid' | 'expired';
}>;

const signatureOf = (secret: Buffer, attachmentId: string, expires: number): string =>
  createHmac('sha256', secret).update(`${attachmentId}.${expires}`).digest('base64url');

export const attachmentLinks = (
  secret: Buffer,
  publicUrl: string,
  ttlSeconds: number,
): AttachmentLinks => ({
  ttlSeconds,
  signedUrl: (attachmentId, expiresAt) => {
    const expires = Math.floor(expiresAt.getTime() / 1000);
    const signature = signatureOf(secret, attachmentId, expires);
    return `${publicUrl}/api/attachments/${attachmentId}/signed?expires=${expires}&signature=${signature}`;
  },
  verify: (attachmentId, expires, signature, now) => {
    if (expires === undefined || signature === undefined || !/^\d{1,12}$/.test(expires))
      return 'invalid';
    const expected = Buffer.from(signatureOf(secret, attachmentId, Number(expires)));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    // checked after the signature: an expired link says so only when it is genuine
    return Number(expires) * 1000 <= now.getTime() ? 'expired' : 'valid';
  },
});
