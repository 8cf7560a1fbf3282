import * as t from 'io-ts';
import { OBJECT_ID } from '../../../domain/shared/ids';
import { describedAs } from '../openapi/jsonSchema';

/** 24 hex digits, like every Parley id; upper case is read as lower case. */
export const objectIdCodec = new t.Type<string, string, unknown>(
  'id of 24 hex digits',
  (u): u is string => typeof u === 'string' && OBJECT_ID.test(u),
  (u, c) =>
    typeof u === 'string' && OBJECT_ID.test(u.toLowerCase())
      ? t.success(u.toLowerCase())
      : t.failure(u, c, 'expected an id of 24 hex digits'),
  t.identity,
);
describedAs(objectIdCodec, { type: 'string', pattern: '^[0-9a-fA-F]{24}$' });
