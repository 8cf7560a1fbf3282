import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Tokens are stored only as SHA-256 hashes (hex); the token itself is shown once. */
export const hashToken = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

/** Compares two hex hashes in constant time. */
export const sameHash = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
};

/** A new secret: `prefix` + 32 random bytes, base64url. */
export const newToken = (prefix: string): string =>
  `${prefix}${randomBytes(32).toString('base64url')}`;
