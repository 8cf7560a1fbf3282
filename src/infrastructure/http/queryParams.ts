import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import { OBJECT_ID } from '../../domain/shared/ids';
import { isStorableTime, storableString, unstorableReason } from './codecs/storable';
import { HttpError } from './httpError';
import { describedAs } from './openapi/jsonSchema';

/** A query string as Koa parses it: a repeated parameter comes as an array. */
export type RawQuery = Readonly<Record<string, string | string[] | undefined>>;

export type ValidationDetail = Readonly<{ path: string; message: string }>;

const single = (u: unknown): string | null => (typeof u === 'string' ? u : null);

/** 24 lower-case hex digits, like every Parley id. */
export const objectIdParam = describedAs(
  new t.Type<string, string, unknown>(
    '24 lower-case hex digits',
    (u): u is string => typeof u === 'string' && OBJECT_ID.test(u),
    (u, c) => {
      const s = single(u);
      return s !== null && OBJECT_ID.test(s) ? t.success(s) : t.failure(u, c);
    },
    String,
  ),
  { type: 'string', pattern: '^[0-9a-f]{24}$' },
);

export const intParam = (min: number, max: number, fallback?: number) =>
  describedAs(
    new t.Type<number, string, unknown>(
      `an integer from ${min} to ${max}`,
      (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
      (u, c) => {
        const s = single(u);
        const n = s !== null && /^\d{1,9}$/.test(s) ? Number(s) : NaN;
        return Number.isInteger(n) && n >= min && n <= max ? t.success(n) : t.failure(u, c);
      },
      String,
    ),
    // the route's value when it is absent, for the document
    {
      type: 'integer',
      minimum: min,
      maximum: max,
      ...(fallback === undefined ? {} : { default: fallback }),
    },
  );

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or date-time (UTC unless it says otherwise). */
export const timestampParam = describedAs(
  new t.Type<Date, string, unknown>(
    'an ISO 8601 date-time such as 2026-01-31T09:00:00Z',
    (u): u is Date => u instanceof Date,
    (u, c) => {
      const s = single(u);
      if (s === null || !ISO_DATE.test(s)) return t.failure(u, c);
      const parsed = new Date(/T.*(Z|[+-]\d{2}:?\d{2})$/.test(s) || !s.includes('T') ? s : `${s}Z`);
      return isStorableTime(parsed.getTime()) ? t.success(parsed) : t.failure(u, c);
    },
    (d) => d.toISOString(),
  ),
  { type: 'string', format: 'date-time' },
);

export const textParam = (maxLength: number) =>
  describedAs(
    new t.Type<string, string, unknown>(
      `a non-empty string of at most ${maxLength} characters`,
      (u): u is string => typeof u === 'string',
      (u, c) => {
        const s = single(u);
        return s !== null && storableString.is(s) && s.trim() !== '' && s.length <= maxLength
          ? t.success(s)
          : t.failure(u, c);
      },
      String,
    ),
    { type: 'string', minLength: 1, maxLength, pattern: '\\S' },
  );

/** The one acceptance rule for strings (codecs/storable.ts), on every parameter's name and value. */
const unstorableParams = (query: RawQuery): ValidationDetail[] =>
  Object.entries(query).flatMap(([name, value]) =>
    [name, ...(value === undefined ? [] : [value].flat())].flatMap((s) => {
      const reason = unstorableReason(s);
      return reason === null ? [] : [{ path: name, message: reason }];
    }),
  );

/** The parameter's name, as the body decoder names fields (`limit`, `cursor`). */
const pathOf = (context: t.Context): string =>
  context
    .slice(1)
    .map((entry) => entry.key)
    .filter((key) => key !== '')
    .join('.');

const messageOf = (error: t.ValidationError): string => {
  const leaf = error.context[error.context.length - 1];
  return error.message ?? `expected ${leaf?.type.name ?? 'a valid value'}`;
};

/**
 * Decodes a query string with an io-ts codec of optional parameters. A bad value or an
 * unknown parameter (a typo would otherwise silently widen a filter) is 400 E_VALIDATION,
 * with the JSON path of each problem in `details`.
 */
export const decodeQuery = <P extends t.Props>(
  codec: t.PartialC<P>,
  query: RawQuery,
): t.TypeOf<t.PartialC<P>> => {
  const details: ValidationDetail[] = Object.keys(query)
    .filter((name) => !(name in codec.props))
    .map((name) => ({ path: name, message: 'is not a parameter of this endpoint' }));
  const unstorable = unstorableParams(query);
  if (unstorable.length > 0) {
    throw new HttpError('E_VALIDATION', 'the query parameters are not valid', unstorable);
  }
  const present = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  const decoded = codec.decode(present);
  if (isLeft(decoded)) {
    details.push(...decoded.left.map((e) => ({ path: pathOf(e.context), message: messageOf(e) })));
  }
  if (details.length > 0 || isLeft(decoded)) {
    throw new HttpError('E_VALIDATION', 'the query parameters are not valid', details);
  }
  return decoded.right;
};

/** An opaque paging cursor: base64url JSON whose shape `codec` checks. */
export const cursorParam = <A, O>(codec: t.Type<A, O, unknown>) =>
  describedAs(
    new t.Type<A, string, unknown>(
      'a next_cursor from a previous page',
      (u): u is A => codec.is(u),
      (u, c) => {
        const s = single(u);
        if (s === null || !/^[A-Za-z0-9_-]{1,1024}$/.test(s)) return t.failure(u, c);
        let json: unknown;
        try {
          json = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
        } catch {
          return t.failure(u, c);
        }
        const decoded = codec.decode(json);
        return isLeft(decoded) ? t.failure(u, c) : t.success(decoded.right);
      },
      (a) => Buffer.from(JSON.stringify(codec.encode(a)), 'utf8').toString('base64url'),
    ),
    { type: 'string' },
  );
