import type { Middleware } from 'koa';
import type { Checkpoint } from '../../../application/ports/eventStore';
import type { ReadYourWrites } from '../../../projections/readYourWrites';
import { HttpError } from '../httpError';

export type ReadYourWritesOptions = Readonly<{
  service: ReadYourWrites;
  /** the read models the routes behind this middleware read */
  projections: readonly string[];
  timeoutMs: number;
}>;

/**
 * `?min_position=<X-Parley-Position of a write>`: the read waits (up to `timeoutMs`) until the
 * read models it uses have applied that write, then answers; past the wait, 503 E_UNAVAILABLE
 * with Retry-After.
 */
export const readYourWrites =
  ({ service, projections, timeoutMs }: ReadYourWritesOptions): Middleware =>
  async (ctx, next) => {
    const position = ctx.query.min_position;
    if (position !== undefined) {
      if (typeof position !== 'string' || !service.isPosition(position)) {
        throw new HttpError('E_VALIDATION', 'the query parameters are not valid', [
          {
            path: 'min_position',
            message: 'expected a position from an X-Parley-Position response header',
          },
        ]);
      }
      if (!(await service.waitFor(projections, position as Checkpoint, timeoutMs))) {
        throw new HttpError(
          'E_UNAVAILABLE',
          `the read model did not reach position ${position} within ${timeoutMs} ms; retry later`,
          undefined,
          { 'Retry-After': '1' },
        );
      }
    }
    await next();
  };
