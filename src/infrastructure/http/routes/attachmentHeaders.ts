/** A MIME type as a Content-Type header may carry it: `type/subtype` and parameters, no CR/LF. */
const MIME =
  /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;\s*[a-z0-9!#$&^_.+-]+=("[^"\r\n]*"|[a-z0-9!#$&^_.+-]+))*$/i;

/**
 * The Content-Type a kept file is served with: the declared one when it is a well-formed MIME
 * type, else what its bytes say, else octet-stream.
 */
export const servedType = (declared: string, sniffed: string | null): string =>
  MIME.test(declared.trim()) ? declared.trim() : (sniffed ?? 'application/octet-stream');

/**
 * `attachment` with an ASCII fallback name (quotes, backslashes, controls and path separators
 * replaced) and the exact name in RFC 5987 `filename*`.
 */
export const contentDisposition = (name: string): string => {
  const base = name.split(/[/\\]/).pop() ?? '';
  const ascii = base.replace(/[^\x20-\x7e]|["\\%;]/g, '_').trim() || 'attachment';
  const exact = encodeURIComponent(base || 'attachment').replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
};
