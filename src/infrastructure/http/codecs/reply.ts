import * as t from 'io-ts';
import { describedAs } from '../openapi/jsonSchema';
import { binary } from './media';
import type { Limits } from '../../config';
import {
  arrayOf,
  httpUrl,
  jsonObject,
  nonNegativeInteger,
  optional,
  stringOfBytes,
  stringOfChars,
} from './primitives';

const attachment = t.type({
  url: httpUrl(2048),
  size: nonNegativeInteger,
  name: stringOfChars(1024),
  mimeType: stringOfChars(255),
});

/** What an uploaded file's part names: the same limits as an attachment's, so it can be stored. */
export const uploadedFile = t.type({
  name: attachment.props.name,
  mimeType: attachment.props.mimeType,
});

/** An operator's reply: text, html and attachments within the configured limits. */
export const replyBody = (limits: Limits) =>
  t.intersection([
    jsonObject,
    t.partial({
      text: optional(stringOfBytes(limits.textBytes)),
      html: optional(stringOfBytes(limits.htmlBytes)),
      attachments: optional(arrayOf(attachment, limits.attachments)),
    }),
  ]);

/** Printable ASCII, 1 to 255 characters: the Idempotency-Key header. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The multipart form of a reply: text and html as fields, files under any field name. */
export const replyForm = t.partial({
  text: t.string,
  html: t.string,
  files: describedAs(t.array(binary), {
    description:
      'each file, and all together, at most ATTACHMENT_MAX_BYTES; at most MAX_ATTACHMENTS files',
  }),
});
