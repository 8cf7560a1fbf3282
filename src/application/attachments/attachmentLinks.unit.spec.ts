import { attachmentLinks } from './attachmentLinks';

const links = attachmentLinks(Buffer.alloc(32, 7), 'http://parley.test', 60);
const ID = '0123456789abcdef01234567';
const now = new Date('2026-01-01T00:00:00Z');

const partsOf = (url: string) => {
  const u = new URL(url);
  return {
    path: u.pathname,
    expires: u.searchParams.get('expires') ?? undefined,
    signature: u.searchParams.get('signature') ?? undefined,
  };
};

describe('attachment links', () => {
  const url = links.signedUrl(ID, new Date(now.getTime() + 60_000));
  const { path, expires, signature } = partsOf(url);

  it('signs the id and the expiry into the link', () => {
    expect(path).toBe(`/api/attachments/${ID}/signed`);
    expect(links.verify(ID, expires, signature, now)).toBe('valid');
  });
  it('refuses a link after its expiry', () =>
    expect(links.verify(ID, expires, signature, new Date(now.getTime() + 60_000))).toBe('expired'));
  it('refuses a changed expiry, id or signature', () => {
    expect(links.verify(ID, String(Number(expires) + 3600), signature, now)).toBe('invalid');
    expect(links.verify('f'.repeat(24), expires, signature, now)).toBe('invalid');
    expect(links.verify(ID, expires, `${signature?.slice(0, -1)}A`, now)).not.toBe('valid');
    expect(links.verify(ID, expires, undefined, now)).toBe('invalid');
    expect(links.verify(ID, 'soon', signature, now)).toBe('invalid');
  });
  it('refuses a link signed under another secret', () => {
    const other = attachmentLinks(Buffer.alloc(32, 8), 'http://parley.test', 60);
    const forged = partsOf(other.signedUrl(ID, new Date(now.getTime() + 60_000)));
    expect(links.verify(ID, forged.expires, forged.signature, now)).toBe('invalid');
  });
});
