import sanitizeHtml from 'sanitize-html';

/**
 * The HTML a read model keeps and serves: sanitize-html's conservative defaults (no script,
 * style, event handlers or javascript: URLs), plus images over http(s). The event keeps the
 * HTML as received, for audit.
 */
export const safeHtml = (html: string | null): string | null =>
  html === null
    ? null
    : sanitizeHtml(html, {
        allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img'],
        allowedAttributes: {
          ...sanitizeHtml.defaults.allowedAttributes,
          img: ['src', 'alt', 'width', 'height'],
        },
        allowedSchemesByTag: { img: ['http', 'https'] },
      });
