import * as t from 'io-ts';
import { OBJECT_ID } from '../../../domain/shared/ids';
import { describedAs } from '../openapi/jsonSchema';

/**
 * Building blocks of response codecs: what Parley answers, exactly (t.exact drops nothing the
 * route builds, because each route's JSON function is typed by its codec). An e2e spec decodes
 * real answers with them (test/responseCodecs.e2e.spec.ts).
 */

/** An ISO 8601 date-time, as `iso()` writes it. */
export const dateTime = describedAs(
  t.refinement(t.string, (s) => !Number.isNaN(Date.parse(s)), 'date-time'),
  { format: 'date-time' },
);

export const integer = describedAs(t.refinement(t.number, Number.isInteger, 'integer'), {
  type: 'integer',
});

export const nonNegativeInt = describedAs(
  t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0, 'non-negative integer'),
  { type: 'integer', minimum: 0 },
);

/** An id Parley made: 24 lower-case hex digits. */
export const parleyId = describedAs(
  t.refinement(t.string, (s) => OBJECT_ID.test(s), 'id of 24 lower-case hex digits'),
  { pattern: '^[0-9a-f]{24}$' },
);

export const absoluteUrl = describedAs(
  t.refinement(t.string, (s) => URL.canParse(s), 'absolute URL'),
  { format: 'uri' },
);

export const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/** A page of a list: its items and the cursor of the next page (null on the last). */
export const pageOf = <C extends t.Mixed>(item: C) =>
  t.exact(t.type({ items: t.readonlyArray(item), next_cursor: nullable(t.string) }));
