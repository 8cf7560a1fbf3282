import * as t from 'io-ts';
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

/** A string of at most `max` UTF-8 bytes. */
export const stringOfBytes = (max: number) =>
  withMessage<string>(
    `string of at most ${max} bytes`,
    (u): u is string => typeof u === 'string' && byteLength(u) <= max,
    (u) =>
      typeof u !== 'string'
        ? 'expected a string'
        : byteLength(u) > max
          ? `must be at most ${max} bytes`
          : null,
    // bytes are no JSON Schema keyword: descriptions say the limit
    { type: 'string' },
  );

/** A string of at most `max` characters. */
export const stringOfChars = (max: number) =>
  withMessage<string>(
    `string of at most ${max} characters`,
    (u): u is string => typeof u === 'string' && [...u].length <= max,
    (u) =>
      typeof u !== 'string'
        ? 'expected a string'
        : [...u].length > max
          ? `must be at most ${max} characters`
          : null,
    { type: 'string', maxLength: max },
  );

export const nonEmptyString = (max: number) =>
  withMessage<string>(
    `non-empty string of at most ${max} characters`,
    (u): u is string => typeof u === 'string' && u.trim() !== '' && u.length <= max,
    (u) =>
      typeof u !== 'string'
        ? 'expected a string'
        : u.trim() === ''
          ? 'must not be empty'
          : u.length > max
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

/** ms since the Unix epoch within the range a JavaScript Date can hold */
export const epochMillis = withMessage<number>(
  'milliseconds since the Unix epoch',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 0 && u <= 8.64e15,
  (u) =>
    typeof u === 'number' && Number.isFinite(u) && u >= 0 && u <= 8.64e15
      ? null
      : 'expected milliseconds since the Unix epoch (a number from 0 to 8.64e15)',
  { type: 'number', minimum: 0, maximum: 8.64e15 },
);

export const httpUrl = (max: number) =>
  withMessage<string>(
    'absolute http(s) URL',
    (u): u is string => typeof u === 'string',
    (u) => {
      if (typeof u !== 'string') return 'expected a string';
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
