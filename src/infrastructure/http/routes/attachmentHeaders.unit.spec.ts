import { contentDisposition, servedType } from './attachmentHeaders';

describe('attachment headers', () => {
  it('serves the declared type when it is a MIME type, else the sniffed one', () => {
    expect(servedType('image/png', 'image/png')).toBe('image/png');
    expect(servedType('text/plain; charset=utf-8', null)).toBe('text/plain; charset=utf-8');
    expect(servedType('not a type', 'application/pdf')).toBe('application/pdf');
    expect(servedType('text/html\r\nSet-Cookie: x=1', null)).toBe('application/octet-stream');
  });

  it('names the download safely, with the exact name in filename*', () => {
    expect(contentDisposition('photo.png')).toBe(
      `attachment; filename="photo.png"; filename*=UTF-8''photo.png`,
    );
    expect(contentDisposition('../../etc/"passwd"')).toBe(
      `attachment; filename="_passwd_"; filename*=UTF-8''%22passwd%22`,
    );
    expect(contentDisposition('счёт.pdf')).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''%D1%81%D1%87%D1%91%D1%82.pdf`,
    );
    expect(contentDisposition('a\r\nb')).not.toMatch(/[\r\n]/);
    expect(contentDisposition('')).toContain('filename="attachment"');
  });
});
