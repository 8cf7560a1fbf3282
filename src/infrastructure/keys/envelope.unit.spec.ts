import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { EnvelopeError, keyIdOf, masterKeyOf, open, seal } from './envelope';

const key = masterKeyOf(randomBytes(32));
const other = masterKeyOf(randomBytes(32));

/** Flips one bit of the decoded envelope at `at` (counted from the start). */
const flip = (envelope: string, at: number): string => {
  const raw = Buffer.from(envelope, 'base64');
  raw[at] = (raw[at] ?? 0) ^ 1;
  return raw.toString('base64');
};

describe('envelope (AES-256-GCM)', () => {
  it('given a sealed secret, when opened with its key and row, then it is the plaintext', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (plain, aad) => {
        const sealed = seal(key, plain, aad);
        expect(open([key], sealed, aad)).toBe(plain);
      }),
    );
  });

  it('given the same plaintext twice, then the ciphertexts differ (random IV)', () => {
    expect(seal(key, 'whsec_x', 'a')).not.toBe(seal(key, 'whsec_x', 'a'));
  });

  it('records the key id, so that rotation can tell keys apart', () => {
    expect(keyIdOf(seal(key, 's', 'a'))).toBe(key.id);
    expect(keyIdOf(seal(other, 's', 'a'))).toBe(other.id);
    expect(key.id).not.toBe(other.id);
    expect(keyIdOf('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBeNull();
  });

  const sealed = seal(key, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'webhooks.secrets:w1');
  const length = Buffer.from(sealed, 'base64').length;
  it.each([
    ['the version byte', 0],
    ['the key id', 2],
    ['the IV', 5],
    ['the ciphertext', 17],
    ['the tag', length - 1],
  ])('given %s tampered with, when opened, then it fails', (_, at) => {
    expect(() => open([key, other], flip(sealed, at), 'webhooks.secrets:w1')).toThrow(
      EnvelopeError,
    );
  });

  it('given another row (AAD), when opened, then it fails', () => {
    expect(() => open([key], sealed, 'webhooks.secrets:w2')).toThrow(EnvelopeError);
  });

  it('given a wrong key with the same id, when opened, then it fails', () => {
    const impostor = { id: key.id, key: randomBytes(32) };
    expect(() => open([impostor], sealed, 'webhooks.secrets:w1')).toThrow(EnvelopeError);
  });

  it('given only another key, when opened, then it fails naming the key id', () => {
    expect(() => open([other], sealed, 'webhooks.secrets:w1')).toThrow(key.id);
  });

  it('given both keys during a rotation, then envelopes of either open', () => {
    const old = seal(other, 'old', 'a');
    expect(open([key, other], old, 'a')).toBe('old');
  });
});
