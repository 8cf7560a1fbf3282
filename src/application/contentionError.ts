/**
 * Too many concurrent changes to the same streams: the request gave up after bounded retries
 * and appended nothing it cannot converge on when retried. Answered 503 with Retry-After.
 */
export class ContentionError extends Error {
  override readonly name = 'ContentionError';
  constructor(what: string, rounds: number) {
    super(`${what}: still contended after ${rounds} rounds`);
  }
}
