import { randomBytes } from 'node:crypto';
import { hashToken } from '../secrets';

/** Standard Webhooks secrets: `whsec_` and the base64 of the key (32 random bytes). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** What events record instead of the secret: enough to tell which one signed, nothing to sign with. */
export const secretFingerprint = (secret: string): string => hashToken(secret);
