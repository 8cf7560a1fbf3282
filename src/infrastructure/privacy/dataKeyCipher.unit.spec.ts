import { randomBytes } from 'node:crypto';
import { nextIv, openWithDataKey, SealedValueError, sealWithDataKey } from './dataKeyCipher';

describe('sealing with a data key', () => {
  const key = randomBytes(32);

  it('given 5,000 seals (several blocks of IVs), then every IV differs and every value opens', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const plaintext = Buffer.from(`field ${i}`);
      const sealed = sealWithDataKey(key, plaintext, `event-${i}|data.text`);
      ivs.add(sealed.subarray(1, 13).toString('hex'));
      expect(openWithDataKey(key, sealed, `event-${i}|data.text`)).toEqual(plaintext);
    }
    expect(ivs.size).toBe(5_000);
  });

  it('given an IV handed out, when more are drawn, then it does not change under its holder', () => {
    const first = nextIv();
    const copy = Buffer.from(first);
    for (let i = 0; i < 3_000; i++) nextIv();
    expect(first).toEqual(copy);
  });

  it('given a sealed value, when opened with another place (AAD), then it is refused', () => {
    const sealed = sealWithDataKey(key, Buffer.from('Vasya'), 'e1|data.name');
    expect(() => openWithDataKey(key, sealed, 'e2|data.name')).toThrow(SealedValueError);
  });
});
