import fc from 'fast-check';
import { messagePreview, PREVIEW_LENGTH } from './messagePreview';

describe('the preview of a message in the dialog list', () => {
  it('is the text when there is one, whitespace collapsed', () =>
    expect(messagePreview('  Where is\n\nmy   sofa? ', '<p>ignored</p>', [])).toBe(
      'Where is my sofa?',
    ));

  it('is the html as plain text when there is no text: no tags, no script, entities decoded', () =>
    expect(
      messagePreview(null, '<p>Tom &amp; Jerry</p><p>&lt;b&gt;</p><script>x()</script>', []),
    ).toBe('Tom & Jerry <b>'));

  it('names the attachments of a message with nothing else', () =>
    expect(messagePreview('', null, [{ name: 'invoice.pdf' }, { name: 'photo.jpg' }])).toBe(
      'invoice.pdf, photo.jpg',
    ));

  it(`is never longer than ${PREVIEW_LENGTH} characters and keeps the start of a long text`, () =>
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        const preview = messagePreview(text, null, []);
        const collapsed = text.replace(/\s+/g, ' ').trim();
        expect([...preview].length).toBeLessThanOrEqual(PREVIEW_LENGTH);
        if ([...collapsed].length <= PREVIEW_LENGTH) expect(preview).toBe(collapsed);
        else expect(collapsed.startsWith(preview.slice(0, -1))).toBe(true);
      }),
    ));
});
