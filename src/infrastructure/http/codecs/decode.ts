import { isLeft } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { HttpError } from '../httpError';

/** Types whose children are alternatives or parts of one value, not fields of it. */
const TRANSPARENT = new Set([
  'IntersectionType',
  'UnionType',
  'RefinementType',
  'ExactType',
  'ReadonlyType',
]);

/** `contact_object.contacts.0.value`: where in the body the value sits, for `details[].path`. */
const pathOf = (context: t.Context): string =>
  context
    .filter(
      (entry, i) =>
        i > 0 && !TRANSPARENT.has((context[i - 1]?.type as { _tag?: string })._tag ?? ''),
    )
    .map((entry) => entry.key)
    .join('.');

const describe = (error: t.ValidationError): { path: string; message: string } => {
  const expected = error.context[error.context.length - 1]?.type.name ?? 'a valid value';
  return {
    path: pathOf(error.context) || '(body)',
    message: error.message ?? `expected ${expected}`,
  };
};

/** Decodes or throws 400 E_VALIDATION listing each problem once with its JSON path. */
export const decodeOrThrow = <A, O>(
  codec: t.Type<A, O, unknown>,
  input: unknown,
  what: string,
): A => {
  const result = codec.decode(input);
  if (!isLeft(result)) return result.right;
  const seen = new Set<string>();
  // "expected null" / "expected undefined" are the optional alternatives of a field: noise
  const meaningful = result.left.filter(
    (e) => !['null', 'undefined'].includes(e.context[e.context.length - 1]?.type.name ?? ''),
  );
  const details = (meaningful.length > 0 ? meaningful : result.left).map(describe).filter((d) => {
    const key = `${d.path}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  throw new HttpError('E_VALIDATION', `the ${what} is not valid`, details.slice(0, 50));
};
