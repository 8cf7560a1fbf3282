import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * IVs drawn from the CSPRNG a block at a time: a `randomBytes` call cost ~8 µs in profiles of
 * the inbound load, a third of sealing a field, where slicing a block costs nothing. They stay
 * random 96-bit IVs (NIST SP 800-38D §8.2.2), each used once; only the calls are fewer.
 */
const IVS_PER_BLOCK = 1024;
let ivBlock = Buffer.alloc(0);
let ivOffset = 0;

export const nextIv = (): Buffer => {
  if (ivOffset + IV_BYTES > ivBlock.length) {
    ivBlock = randomBytes(IV_BYTES * IVS_PER_BLOCK);
    ivOffset = 0;
  }
  const iv = ivBlock.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
};

/** AES-256-GCM under a subject's data key: version byte | IV (12) | ciphertext | tag (16). */
export const sealWithDataKey = (key: Buffer, plaintext: Buffer, aad: string): Buffer => {
  const iv = nextIv();
  const version = Buffer.from([VERSION]);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.concat([version, Buffer.from(aad, 'utf8')]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([version, iv, body, cipher.getAuthTag()]);
};

export class SealedValueError extends Error {
  override readonly name = 'SealedValueError';
}

/** Throws SealedValueError when the value was tampered with, moved (AAD) or sealed by another key. */
export const openWithDataKey = (key: Buffer, sealed: Buffer, aad: string): Buffer => {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION)
    throw new SealedValueError('not a sealed value (unknown version or too short)');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.concat([sealed.subarray(0, 1), Buffer.from(aad, 'utf8')]));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new SealedValueError('sealed value does not authenticate (tampered, or moved)');
  }
};
