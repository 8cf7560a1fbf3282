import { sniffType } from './sniffType';

const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('sniffType', () => {
  it.each([
    ['image/png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0)],
    ['image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)],
    ['image/gif', ascii('GIF89a....')],
    ['image/webp', ascii('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ')],
    ['audio/wav', ascii('RIFF\u0000\u0000\u0000\u0000WAVEfmt ')],
    ['application/pdf', ascii('%PDF-1.7\n')],
    ['application/zip', bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0)],
    ['video/mp4', ascii('\u0000\u0000\u0000\u0018ftypmp42')],
  ])('knows %s by its first bytes', (type, head) => expect(sniffType(head)).toBe(type));

  it('names nothing it does not know, or too short to tell', () => {
    expect(sniffType(ascii('hello, world'))).toBeNull();
    expect(sniffType(bytes(0x89, 0x50))).toBeNull();
    expect(sniffType(bytes())).toBeNull();
    // WEBP at offset 8 without the RIFF header is not a WebP
    expect(sniffType(ascii('XXXX\u0000\u0000\u0000\u0000WEBP'))).toBeNull();
  });
});
