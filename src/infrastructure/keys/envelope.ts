import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A 32-byte AES-256 key and its id (the first 8 hex digits of its SHA-256): what rotation tells apart. */
export type MasterKey = Readonly<{ id: string; key: Buffer }>;

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ID_BYTES = 4;

export const masterKeyOf = (key: Buffer): MasterKey => {
  if (key.length !== 32) throw new Error('a master key is exactly 32 bytes');
  return {
    id: createHash('sha256')
      .update(key)
      .digest('hex')
      .slice(0, ID_BYTES * 2),
    key,
  };
};

/**
 * AES-256-GCM envelope, as base64 of: version byte | key id (4 bytes) | IV (12) | ciphertext |
 * tag (16). The version and key id are authenticated too, along with `aad`, which binds the
 * ciphertext to its row so that it cannot be moved to another.
 */
export const seal = (master: MasterKey, plaintext: string, aad: string): string => {
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.concat([Buffer.from([VERSION]), Buffer.from(master.id, 'hex')]);
  const cipher = createCipheriv('aes-256-gcm', master.key, iv);
  cipher.setAAD(Buffer.concat([header, Buffer.from(aad, 'utf8')]));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([header, iv, body, cipher.getAuthTag()]).toString('base64');
};

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

const HEADER_BYTES = 1 + ID_BYTES;

/** The key id an envelope was sealed under, or null when it is not an envelope of ours. */
export const keyIdOf = (envelope: string): string | null => {
  const raw = Buffer.from(envelope, 'base64');
  return raw.length >= HEADER_BYTES + IV_BYTES + TAG_BYTES && raw[0] === VERSION
    ? raw.subarray(1, HEADER_BYTES).toString('hex')
    : null;
};

/** Opens with whichever of `keys` sealed it; throws EnvelopeError on any tampering or unknown key. */
export const open = (keys: readonly MasterKey[], envelope: string, aad: string): string => {
  const id = keyIdOf(envelope);
  if (id === null) throw new EnvelopeError('not a sealed secret (unknown version or too short)');
  const master = keys.find((k) => k.id === id);
  if (master === undefined) throw new EnvelopeError(`sealed under master key ${id}, not given`);
  const raw = Buffer.from(envelope, 'base64');
  const header = raw.subarray(0, HEADER_BYTES);
  const iv = raw.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  const body = raw.subarray(HEADER_BYTES + IV_BYTES, raw.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', master.key, iv);
    decipher.setAAD(Buffer.concat([header, Buffer.from(aad, 'utf8')]));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    throw new EnvelopeError('sealed secret does not authenticate (tampered, or another row)');
  }
};
