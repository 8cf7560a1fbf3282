import type { Checkpoint } from '../../../application/ports/eventStore';
import {
  compareCheckpoints,
  comparePositions,
  decodeCheckpoint,
  encodeCheckpoint,
} from './checkpoint';

const TWO_TO_53 = 2n ** 53n;
const U64_MAX = 2n ** 64n - 1n;

describe('EventStoreDB checkpoints', () => {
  it('writes commit and prepare positions as decimals', () => {
    expect(encodeCheckpoint({ commit: 123n, prepare: 120n })).toBe('C:123/P:120');
  });

  it('round-trips positions that a Number would round', () => {
    for (const position of [
      { commit: TWO_TO_53 + 1n, prepare: TWO_TO_53 + 1n },
      { commit: U64_MAX, prepare: U64_MAX - 1n },
      { commit: 0n, prepare: 0n },
    ]) {
      expect(decodeCheckpoint(encodeCheckpoint(position))).toEqual(position);
    }
    expect(encodeCheckpoint({ commit: TWO_TO_53 + 1n, prepare: 0n })).toBe(
      'C:9007199254740993/P:0',
    );
  });

  it('reads null and undefined as the start of the log', () => {
    expect(decodeCheckpoint(null)).toBeNull();
    expect(decodeCheckpoint(undefined)).toBeNull();
  });

  it('refuses what it did not write, a PostgreSQL checkpoint included', () => {
    for (const foreign of ['123:45', '42', 'C:1/P:', 'C:-1/P:2', 'C:1/P:2 ', 'c:1/p:2']) {
      expect(() => decodeCheckpoint(foreign as Checkpoint)).toThrow(/not an EventStoreDB/);
    }
  });

  it('orders by commit position, then prepare position', () => {
    expect(comparePositions({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 0n })).toBe(1);
    expect(comparePositions({ commit: 2n, prepare: 1n }, { commit: 2n, prepare: 1n })).toBe(0);
  });

  it('compares checkpoints as bigints, not as strings or Numbers', () => {
    const at = (commit: bigint): Checkpoint => encodeCheckpoint({ commit, prepare: commit });
    // as strings "C:9/…" > "C:10/…"; as Numbers 2^53 and 2^53 + 1 are equal
    expect(compareCheckpoints(at(9n), at(10n))).toBe(-1);
    expect(compareCheckpoints(at(TWO_TO_53), at(TWO_TO_53 + 1n))).toBe(-1);
    expect(compareCheckpoints(at(TWO_TO_53 + 1n), at(TWO_TO_53))).toBe(1);
    expect(compareCheckpoints(at(U64_MAX), at(U64_MAX))).toBe(0);
    // commits a Number cannot tell apart, prepares in the opposite order: the commit decides
    const before = encodeCheckpoint({ commit: TWO_TO_53, prepare: 5n });
    const after = encodeCheckpoint({ commit: TWO_TO_53 + 1n, prepare: 1n });
    expect(compareCheckpoints(before, after)).toBe(-1);
    expect(compareCheckpoints(after, before)).toBe(1);
  });

  it('puts the start of the log before every checkpoint', () => {
    const first = encodeCheckpoint({ commit: 0n, prepare: 0n });
    expect(compareCheckpoints(null, first)).toBe(-1);
    expect(compareCheckpoints(first, null)).toBe(1);
    expect(compareCheckpoints(null, null)).toBe(0);
  });
});
