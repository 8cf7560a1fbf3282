import { describedAs } from '../openapi/jsonSchema';
import * as t from 'io-ts';

/**
 * What Parley accepts is what every store can keep (SPEC §2 "What is storable is what is
 * accepted"). PostgreSQL's text and jsonb refuse NUL and unpaired UTF-16 surrogates, and
 * EventStoreDB's JSON payloads are UTF-8, which cannot encode a lone surrogate. Every other
 * code point, other control characters included, is stored and served back as received.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `s` cannot be stored, or null when it can. */
export const unstorableReason = (s: string): string | null => {
  const found = UNSTORABLE.exec(s);
  if (found === null) return null;
  return found[0] === '\u0000'
    ? `must not contain NUL (U+0000; found at character ${found.index})`
    : `must be well-formed Unicode (a lone surrogate at character ${found.index})`;
};

/**
 * A string every store can keep: well-formed Unicode without NUL. Every string codec of the
 * HTTP layer builds on it; to an OpenAPI walker it is `{ type: "string" }`.
 */
export class StorableStringType extends t.Type<string, string, unknown> {
  readonly _tag = 'StorableStringType' as const;
  constructor() {
    super(
      'StorableString',
      (u): u is string => typeof u === 'string' && unstorableReason(u) === null,
      (u, c) => {
        if (typeof u !== 'string') return t.failure(u, c, 'expected a string');
        const reason = unstorableReason(u);
        return reason === null ? t.success(u) : t.failure(u, c, reason);
      },
      t.identity,
    );
  }
}

export const storableString: StorableStringType = describedAs(new StorableStringType(), {
  type: 'string',
});

/**
 * Times Parley accepts (a message's `timestamp`, `since`, cursors): milliseconds every store,
 * projection and JavaScript Date represent, and that print as a plain four-digit-year ISO 8601
 * string (a year past 9999 prints as `+010000-…`, which PostgreSQL refuses).
 */
export const EARLIEST_MS = 0; // 1970-01-01T00:00:00.000Z
export const LATEST_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

export const isStorableTime = (ms: number): boolean =>
  Number.isFinite(ms) && ms >= EARLIEST_MS && ms <= LATEST_MS;

export const STORABLE_TIME_RANGE = `from ${new Date(EARLIEST_MS).toISOString()} to ${new Date(LATEST_MS).toISOString()}`;
