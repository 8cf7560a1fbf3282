import * as t from 'io-ts';
import type { Limits } from '../../config';
import { boundedArray, boundedString, httpUrl, nonNegativeInteger } from './common';

const attachment = t.exact(
  t.type({
    url: httpUrl(),
    size: nonNegativeInteger,
    name: boundedString(1024),
    mimeType: boundedString(255),
  }),
);

/** An operator's reply: text, html and attachments within the configured limits. */
export const replyBody = (limits: Limits) =>
  t.exact(
    t.partial({
      text: t.union([boundedString(limits.textBytes), t.null]),
      html: t.union([boundedString(limits.htmlBytes), t.null]),
      attachments: boundedArray(attachment, limits.attachments),
    }),
  );

/** Printable ASCII, 1 to 255 characters: the Idempotency-Key header. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
