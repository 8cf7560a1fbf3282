import { ANY, NO_STREAM, STREAM_EXISTS } from '@eventstore/db-client';
import type { ExpectedRevision } from '../../../application/ports/eventStore';
import { satisfiesExpectedRevision, toClientExpectedRevision } from './expectedRevision';

describe('expected revision, port to EventStoreDB', () => {
  it('maps each kind to the client constant of the same meaning', () => {
    expect(toClientExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toClientExpectedRevision('any')).toBe(ANY);
  });

  it('passes a revision through as the same bigint, however large', () => {
    for (const revision of [0n, 41n, 2n ** 53n + 1n, 2n ** 63n - 1n]) {
      const mapped = toClientExpectedRevision(revision);
      expect(typeof mapped).toBe('bigint');
      expect(mapped).toBe(revision);
    }
  });

  it('checks an append of nothing the way the server checks an append', () => {
    const cases: [ExpectedRevision, bigint | 'no_stream', boolean][] = [
      ['any', 'no_stream', true],
      ['any', 3n, true],
      ['no_stream', 'no_stream', true],
      ['no_stream', 0n, false],
      ['stream_exists', 'no_stream', false],
      ['stream_exists', 0n, true],
      [2n, 2n, true],
      [2n, 3n, false],
      [0n, 'no_stream', false],
    ];
    for (const [expected, actual, ok] of cases) {
      expect([expected, actual, satisfiesExpectedRevision(expected, actual)]).toEqual([
        expected,
        actual,
        ok,
      ]);
    }
  });
});
