import fc from 'fast-check';
import { RecentlyUsed } from './recentlyUsed';

type Op =
  | Readonly<{ kind: 'set'; key: number; value: number }>
  | Readonly<{ kind: 'get'; key: number }>
  | Readonly<{ kind: 'delete'; key: number }>;

const op = (keys: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      arbitrary: fc.record({
        kind: fc.constant('set' as const),
        key: fc.nat(keys),
        value: fc.nat(),
      }),
      weight: 3,
    },
    { arbitrary: fc.record({ kind: fc.constant('get' as const), key: fc.nat(keys) }), weight: 3 },
    {
      arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.nat(keys) }),
      weight: 1,
    },
  );

describe('RecentlyUsed', () => {
  it('given any uses, keeps the half of its size used last, answers the value set last, and never holds more than its size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(op(20), { minLength: 20, maxLength: 200, size: 'max' }),
        (max, ops) => {
          const cache = new RecentlyUsed<number, number>(max);
          // the model: what was set last for each key, and the keys present by last use
          const values = new Map<number, number>();
          let used: number[] = [];
          const use = (key: number): void => {
            used = [key, ...used.filter((k) => k !== key)];
          };
          for (const o of ops) {
            if (o.kind === 'set') {
              cache.set(o.key, o.value);
              values.set(o.key, o.value);
              use(o.key);
            } else if (o.kind === 'delete') {
              cache.delete(o.key);
              values.delete(o.key);
              used = used.filter((k) => k !== o.key);
            } else {
              const found = cache.get(o.key);
              // what it answers is what was set last; what it lost was evicted
              if (found !== undefined) {
                expect(found).toBe(values.get(o.key));
                use(o.key);
              } else used = used.filter((k) => k !== o.key);
            }
            expect(cache.size).toBeLessThanOrEqual(max);
            const kept = Math.floor(max / 2);
            for (const key of used.slice(0, kept)) expect(cache.peek(key)).toBe(values.get(key));
            // the others may have gone; those that did are out of the model (a delete of a key
            // used later must not bring an evicted one back into the kept half)
            used = used.filter((key, i) => i < kept || cache.peek(key) !== undefined);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is exact LRU at two entries: a read entry outlives one set after it', () => {
    const cache = new RecentlyUsed<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.peek('a'), cache.peek('b'), cache.peek('c')]).toEqual([1, undefined, 3]);
  });

  it('given one key read between every other use, keeps it; a peek counts no use', () => {
    const cache = new RecentlyUsed<string, number>(4);
    cache.set('hot', 0);
    for (let i = 0; i < 100; i++) {
      expect(cache.get('hot')).toBe(0);
      cache.set(`cold-${i}`, i);
    }
    expect(cache.peek('hot')).toBe(0);
    expect(cache.size).toBe(4);
    // peeked only, it goes out as the others come in
    for (let i = 0; i < 4; i++) cache.set(`later-${i}`, i);
    expect(cache.peek('hot')).toBeUndefined();
  });
});
