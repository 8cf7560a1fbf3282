/** Magic numbers of the types customers send most; the first that matches names the file. */
const SIGNATURES: readonly Readonly<{ type: string; at: number; bytes: readonly number[] }>[] = [
  { type: 'image/png', at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', at: 0, bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', at: 0, bytes: [0x47, 0x49, 0x46, 0x38] }, // GIF8(7|9)a
  { type: 'image/webp', at: 8, bytes: [0x57, 0x45, 0x42, 0x50] }, // RIFF....WEBP
  { type: 'image/bmp', at: 0, bytes: [0x42, 0x4d] },
  { type: 'image/tiff', at: 0, bytes: [0x49, 0x49, 0x2a, 0x00] },
  { type: 'image/tiff', at: 0, bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { type: 'application/pdf', at: 0, bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'application/zip', at: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'application/zip', at: 0, bytes: [0x50, 0x4b, 0x05, 0x06] }, // empty archive
  { type: 'application/gzip', at: 0, bytes: [0x1f, 0x8b] },
  { type: 'audio/ogg', at: 0, bytes: [0x4f, 0x67, 0x67, 0x53] },
  { type: 'audio/mpeg', at: 0, bytes: [0x49, 0x44, 0x33] }, // ID3
  { type: 'video/mp4', at: 4, bytes: [0x66, 0x74, 0x79, 0x70] }, // ....ftyp
  { type: 'audio/wav', at: 8, bytes: [0x57, 0x41, 0x56, 0x45] }, // RIFF....WAVE
];

const RIFF = [0x52, 0x49, 0x46, 0x46];

const startsWith = (bytes: Uint8Array, at: number, expected: readonly number[]): boolean =>
  bytes.length >= at + expected.length && expected.every((b, i) => bytes[at + i] === b);

/**
 * What a file's first bytes say it is, whatever its name or declared type; null when they match
 * none of the known signatures. Recorded beside the declared type, never instead of it.
 */
export const sniffType = (bytes: Uint8Array): string | null => {
  for (const { type, at, bytes: signature } of SIGNATURES) {
    if (at === 8 && !startsWith(bytes, 0, RIFF)) continue;
    if (startsWith(bytes, at, signature)) return type;
  }
  return null;
};
