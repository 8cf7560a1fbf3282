import { unstorableReason } from '../codecs/storable';

/**
 * How deeply a JSON body may nest: Parley's deepest field is 4 levels down, so 32 leaves room
 * for any integrator's extra fields while no recursive code (hashing, decoding, logging) can
 * be driven into a stack overflow.
 */
export const MAX_JSON_DEPTH = 32;

export type JsonProblem = Readonly<{ path: string; message: string }>;

const MAX_PROBLEMS = 50;

/**
 * The body's problems that no codec should have to think about: nesting past `maxDepth` and
 * strings (values and keys) no store can keep. Iterative, so a body of any depth is safe to
 * inspect; it stops at the first level past the limit.
 */
export const jsonProblems = (body: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem[] => {
  const problems: JsonProblem[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: body, path: '', depth: 0 },
  ];
  const at = (path: string) => path || '(body)';
  while (pending.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value, path, depth } = pending.pop() as (typeof pending)[number];
    if (typeof value === 'string') {
      const reason = unstorableReason(value);
      if (reason !== null) problems.push({ path: at(path), message: reason });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) {
      return [{ path: at(path), message: `nests deeper than ${maxDepth} levels of JSON` }];
    }
    const entries = Array.isArray(value)
      ? value.map((item, i) => [String(i), item] as const)
      : Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i] as readonly [string, unknown];
      const child = path === '' ? key : `${path}.${key}`;
      const keyReason = Array.isArray(value) ? null : unstorableReason(key);
      if (keyReason !== null) problems.push({ path: child, message: `its name ${keyReason}` });
      pending.push({ value: item, path: child, depth: depth + 1 });
    }
  }
  return problems;
};
