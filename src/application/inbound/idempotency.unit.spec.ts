import fc from 'fast-check';
import { canonicalJson, requestHash } from './idempotency';

/** The definition the hashes of recorded requests were made with: the output must not change. */
const recursiveCanonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(recursiveCanonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${recursiveCanonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

describe('canonicalJson (the request hash of Idempotency-Key)', () => {
  it('writes what the recursive definition wrote, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(canonicalJson(value)).toBe(recursiveCanonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('hashes the same JSON with keys in any order the same, and other JSON differently', () => {
    expect(requestHash({ b: 1, a: [1, { d: null, c: 'x' }] })).toBe(
      requestHash({ a: [1, { c: 'x', d: null }], b: 1 }),
    );
    expect(requestHash({ a: [1, 2] })).not.toBe(requestHash({ a: [2, 1] }));
  });

  it('hashes a body nested 100,000 levels deep without overflowing the stack', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = i % 2 === 0 ? [deep] : { x: deep };
    expect(() => recursiveCanonicalJson(deep)).toThrow(RangeError);
    expect(requestHash(deep)).toMatch(/^[0-9a-f]{64}$/);
  });
});
