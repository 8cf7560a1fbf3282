import fc from 'fast-check';
import { isRight } from 'fp-ts/Either';
import { jsonProblems } from '../middleware/jsonLimits';
import { sinceQuery } from './webhook';
import { isStorableTime, LATEST_MS, storableString, unstorableReason } from './storable';

/** What the stores need, said another way: UTF-8 round-trips it (no lone surrogate), no NUL. */
const storableOracle = (s: string): boolean =>
  Buffer.from(s, 'utf8').toString('utf8') === s && !s.includes('\u0000');

describe('the acceptance rule for strings', () => {
  it('accepts exactly the strings that survive UTF-8 and hold no NUL', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          // any UTF-16 code units: paired and lone surrogates, NUL, controls
          fc
            .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 })
            .map((units) => String.fromCharCode(...units)),
          fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a', '\ud83d\ude00') }),
        ),
        (s) => {
          expect(unstorableReason(s) === null).toBe(storableOracle(s));
          expect(isRight(storableString.decode(s))).toBe(storableOracle(s));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('says where the offending character is', () => {
    expect(unstorableReason('ab\u0000')).toMatch(/NUL .*character 2/);
    expect(unstorableReason('a\udfff')).toMatch(/lone surrogate at character 1/);
    expect(storableString.decode(42)._tag).toBe('Left');
  });
});

describe('the storable time range', () => {
  it('is 1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z, finite', () => {
    expect(new Date(LATEST_MS).toISOString()).toBe('9999-12-31T23:59:59.999Z');
    expect([0, LATEST_MS].map(isStorableTime)).toEqual([true, true]);
    expect([-1, LATEST_MS + 1, Infinity, NaN].map(isStorableTime)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('bounds `since` of a redelivery too', () => {
    expect(isRight(sinceQuery.decode({ since: '2026-01-01T00:00:00Z' }))).toBe(true);
    expect(isRight(sinceQuery.decode({ since: '+010000-01-01T00:00:00Z' }))).toBe(false);
  });
});

describe('jsonProblems', () => {
  it('finds nothing in a storable body within the depth', () => {
    expect(jsonProblems({ a: [1, { b: 'x' }], c: null })).toEqual([]);
  });

  it('names each unstorable value and member name by its path', () => {
    expect(jsonProblems({ a: ['ok', 'x\u0000'], 'k\ud800': 1 }).map((p) => p.path)).toEqual(
      expect.arrayContaining(['a.1', 'k\ud800']),
    );
  });

  it('stops at the first level past the limit, however deep the body goes', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const problems = jsonProblems(deep, 32);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/deeper than 32 levels/);
    let ok: unknown = 'x';
    for (let i = 0; i < 32; i++) ok = [ok];
    expect(jsonProblems(ok, 32)).toEqual([]);
  });
});
