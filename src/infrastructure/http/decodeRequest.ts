import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import { HttpError } from './httpError';

/** `$.attachments[0].url`: where in the body a value was refused. */
const pathOf = (context: t.Context): string => {
  let path = '$';
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]?.type;
    const key = context[i]?.key ?? '';
    // unions and intersections add their members' indexes, which are not part of the body
    if (parent instanceof t.UnionType || parent instanceof t.IntersectionType) continue;
    // bodies have no objects with numeric keys: a number is an array index
    path += /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
  }
  return path;
};

export type ValidationDetail = Readonly<{ path: string; message: string }>;

const detailsOf = (errors: t.Errors): ValidationDetail[] => {
  const seen = new Map<string, string>();
  for (const error of errors) {
    const path = pathOf(error.context);
    const expected = error.message ?? error.context[error.context.length - 1]?.type.name ?? '?';
    // a union reports once per member: keep the first complaint per path
    if (!seen.has(path)) seen.set(path, `must be ${expected}`);
  }
  return [...seen].map(([path, message]) => ({ path, message }));
};

/** Decodes with io-ts or throws `400 E_VALIDATION` whose details name every bad JSON path. */
export const decodeOrThrow = <A, O>(codec: t.Type<A, O, unknown>, value: unknown): A => {
  const decoded = codec.decode(value);
  if (isLeft(decoded)) {
    throw new HttpError(
      'E_VALIDATION',
      'the request does not have the expected shape; see details',
      detailsOf(decoded.left),
    );
  }
  return decoded.right;
};
