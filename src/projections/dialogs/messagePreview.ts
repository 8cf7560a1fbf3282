import sanitizeHtml from 'sanitize-html';

/** How long a dialog list's preview of its last message may be, in characters. */
export const PREVIEW_LENGTH = 140;

/**
 * The one line a dialog list shows of a message: its text, else its html as plain text, else
 * its attachments' names; whitespace collapsed, cut at PREVIEW_LENGTH with an ellipsis.
 * Plain text only: the inbox shows it with textContent.
 */
export const messagePreview = (
  text: string | null,
  html: string | null,
  attachments: readonly Readonly<{ name: string }>[],
): string => {
  const fromHtml = (): string =>
    html === null
      ? ''
      : // sanitize-html decodes entities and re-escapes only these three
        sanitizeHtml(html.replace(/<(br|\/p|\/div|\/li)\b[^>]*>/gi, ' $&'), {
          allowedTags: [],
          allowedAttributes: {},
        })
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&');
  const candidates = [text ?? '', fromHtml(), attachments.map((a) => a.name).join(', ')];
  const line = candidates.map((c) => c.replace(/\s+/g, ' ').trim()).find((c) => c.length > 0) ?? '';
  const chars = [...line];
  return chars.length <= PREVIEW_LENGTH ? line : `${chars.slice(0, PREVIEW_LENGTH - 1).join('')}…`;
};
