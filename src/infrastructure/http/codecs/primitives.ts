import * as t from 'io-ts';
import {
  EARLIEST_MS,
  isStorableTime,
  LATEST_MS,
  STORABLE_TIME_RANGE,
  storableString,
  unstorableReason,
} from './storable';
import { describedAs, type Description } from '../openapi/jsonSchema';

const withMessage = <A>(
  name: string,
  is: (u: unknown) => u is A,
  message: (u: unknown) => string | null,
  /** what it accepts, in JSON Schema, for the OpenAPI document */
  schema: Description,
) =>
  describedAs(
    new t.Type<A, A, unknown>(
      name,
      is,
      (u, c) => {
        const problem = message(u);
        return problem === null ? t.success(u as A) : t.failure(u, c, problem);
      },
      t.identity,
    ),
    schema,
  );

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/** A storable string (storable.ts) that `problem` also accepts: every string codec is one. */
const storableStringWith = (
  name: string,
  problem: (s: string) => string | null,
  schema: Description,
) =>
  withMessage<string>(
    name,
    (u): u is string => storableString.is(u) && problem(u) === null,
    (u) => (typeof u !== 'string' ? 'expected a string' : (unstorableReason(u) ?? problem(u))),
    schema,
  );

/** A string of at most `max` UTF-8 bytes. */
export const stringOfBytes = (max: number) =>
  storableStringWith(
    `string of at most ${max} bytes`,
    (s) => (byteLength(s) > max ? `must be at most ${max} bytes` : null),
    // bytes are no JSON Schema keyword: descriptions say the limit
    { type: 'string' },
  );

/** A string of at most `max` characters. */
export const stringOfChars = (max: number) =>
  storableStringWith(
    `string of at most ${max} characters`,
    (s) => ([...s].length > max ? `must be at most ${max} characters` : null),
    { type: 'string', maxLength: max },
  );

export const nonEmptyString = (max: number) =>
  storableStringWith(
    `non-empty string of at most ${max} characters`,
    (s) =>
      s.trim() === ''
        ? 'must not be empty'
        : s.length > max
          ? `must be at most ${max} characters`
          : null,
    { type: 'string', maxLength: max, pattern: '\\S' },
  );

export const nonNegativeInteger = withMessage<number>(
  'non-negative integer',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u) =>
    typeof u === 'number' && Number.isSafeInteger(u) && u >= 0
      ? null
      : 'expected a non-negative integer',
  { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
);

/**
 * ms since the Unix epoch inside the storable range (storable.ts). Fractional milliseconds are
 * accepted and truncated by the caller, as JavaScript's Date truncates them.
 */
export const epochMillis = withMessage<number>(
  'milliseconds since the Unix epoch',
  (u): u is number => typeof u === 'number' && isStorableTime(u),
  (u) =>
    typeof u === 'number' && isStorableTime(u)
      ? null
      : `expected milliseconds since the Unix epoch, ${EARLIEST_MS} to ${LATEST_MS} (${STORABLE_TIME_RANGE})`,
  { type: 'number', minimum: EARLIEST_MS, maximum: LATEST_MS },
);

export const httpUrl = (max: number) =>
  storableStringWith(
    'absolute http(s) URL',
    (u) => {
      if (u.length > max) return `must be at most ${max} characters`;
      try {
        const url = new URL(u);
        return url.protocol === 'http:' || url.protocol === 'https:'
          ? null
          : 'expected an http or https URL';
      } catch {
        return 'expected an absolute http(s) URL';
      }
    },
    { type: 'string', format: 'uri', maxLength: max, pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' },
  );

/** An array of at most `max` items. */
export const arrayOf = <C extends t.Mixed>(item: C, max: number) =>
  describedAs(
    new t.Type<t.TypeOf<C>[], t.OutputOf<C>[], unknown>(
      `array of at most ${max} items`,
      (u): u is t.TypeOf<C>[] => Array.isArray(u) && u.length <= max && u.every(item.is),
      (u, c) => {
        if (Array.isArray(u) && u.length > max)
          return t.failure(u, c, `must hold at most ${max} items`);
        return t.array(item).validate(u, c);
      },
      (a) => a.map(item.encode),
    ),
    (of) => ({ type: 'array', maxItems: max, items: of(item) }),
  );

/** Absent or null both mean "not given". */
export const optional = <C extends t.Mixed>(codec: C) => t.union([codec, t.null, t.undefined]);

/** A plain JSON object, not an array or a scalar. */
export const jsonObject = withMessage<Record<string, unknown>>(
  'JSON object',
  (u): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u),
  (u) =>
    typeof u === 'object' && u !== null && !Array.isArray(u) ? null : 'expected a JSON object',
  { type: 'object' },
);
