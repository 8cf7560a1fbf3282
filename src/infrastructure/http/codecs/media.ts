import * as t from 'io-ts';
import { describedAs } from '../openapi/jsonSchema';

/** The bytes of a file: an answer's body or a form's part, never JSON. */
export const binary = describedAs(
  new t.Type<Buffer, Buffer, unknown>(
    'binary',
    (u): u is Buffer => Buffer.isBuffer(u),
    (u, c) => (Buffer.isBuffer(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  ),
  { type: 'string', format: 'binary' },
);

/** A text body: a page, a script, a stream of events, metrics. */
export const text = t.string;
