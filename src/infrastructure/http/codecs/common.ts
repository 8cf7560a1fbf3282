import * as t from 'io-ts';
import { OBJECT_ID } from '../../../domain/shared/ids';

/** 24 lower-case hex digits, like every Parley id. */
export const objectId = new t.Type<string, string, unknown>(
  'an id of 24 hex digits',
  (u): u is string => typeof u === 'string' && OBJECT_ID.test(u),
  (u, c) => (typeof u === 'string' && OBJECT_ID.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** A string of at most `maxBytes` UTF-8 bytes (limits are in bytes, as stored). */
export const boundedString = (maxBytes: number, name = `a string of at most ${maxBytes} bytes`) =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string',
    (u, c) =>
      typeof u === 'string' && Buffer.byteLength(u, 'utf8') <= maxBytes
        ? t.success(u)
        : t.failure(u, c),
    t.identity,
  );

/** Non-blank, trimmed, at most `maxLength` characters. */
export const name = (maxLength: number) =>
  new t.Type<string, string, unknown>(
    `a non-empty string of at most ${maxLength} characters`,
    (u): u is string => typeof u === 'string',
    (u, c) =>
      typeof u === 'string' && u.trim().length > 0 && u.trim().length <= maxLength
        ? t.success(u.trim())
        : t.failure(u, c),
    t.identity,
  );

/** An absolute http(s) URL of at most `maxLength` characters. */
export const httpUrl = (maxLength = 2048) =>
  new t.Type<string, string, unknown>(
    'an absolute http(s) URL',
    (u): u is string => typeof u === 'string',
    (u, c) => {
      if (typeof u !== 'string' || u.length > maxLength) return t.failure(u, c);
      try {
        const url = new URL(u);
        return ['http:', 'https:'].includes(url.protocol) && url.hostname !== ''
          ? t.success(u)
          : t.failure(u, c);
      } catch {
        return t.failure(u, c);
      }
    },
    t.identity,
  );

export const nonNegativeInteger = new t.Type<number, number, unknown>(
  'a non-negative integer',
  (u): u is number => typeof u === 'number',
  (u, c) =>
    typeof u === 'number' && Number.isSafeInteger(u) && u >= 0 ? t.success(u) : t.failure(u, c),
  t.identity,
);

/** An array of at most `max` items. */
export const boundedArray = <C extends t.Mixed>(item: C, max: number) =>
  new t.Type<t.TypeOf<C>[], t.OutputOf<C>[], unknown>(
    `an array of at most ${max} items`,
    (u): u is t.TypeOf<C>[] => Array.isArray(u),
    (u, c) => (Array.isArray(u) && u.length > max ? t.failure(u, c) : t.array(item).validate(u, c)),
    (a) => a.map((x) => item.encode(x) as t.OutputOf<C>),
  );
