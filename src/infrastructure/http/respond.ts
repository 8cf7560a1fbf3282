import { isLeft, type Either } from 'fp-ts/Either';
import type { Context } from 'koa';
import type { CommandContext } from '../../application/context';
import type { Actor, Checkpoint } from '../../application/ports/eventStore';
import type { Clock } from '../../application/ports/clock';
import type { DomainError } from '../../domain/errors';
import { HttpError } from './httpError';

/** The value, or the HTTP error of the domain error's code. */
export const orThrow = <A>(result: Either<DomainError, A>): A => {
  if (isLeft(result)) throw HttpError.from(result.left);
  return result.right;
};

/** The request is the correlation of every event it causes. */
export const commandContext = (ctx: Context, clock: Clock, actor: Actor): CommandContext => ({
  correlationId: (ctx.state as { requestId: string }).requestId,
  causationId: null,
  actor,
  now: clock.now(),
});

/** Read-your-writes: a read with `min_position` set to this waits until projections caught up. */
export const POSITION_HEADER = 'X-Parley-Position';

export const setPosition = (ctx: Context, checkpoint: Checkpoint | null): void => {
  if (checkpoint !== null) ctx.set(POSITION_HEADER, checkpoint);
};
