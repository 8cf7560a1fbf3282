import { isLeft, type Either } from 'fp-ts/Either';
import type { Context } from 'koa';
import type { CommandContext } from '../../application/context';
import { IDEMPOTENCY_KEY } from '../../application/inbound/idempotency';
import type { Actor, Checkpoint } from '../../application/ports/eventStore';
import type { Clock } from '../../application/ports/clock';
import type { DomainError } from '../../domain/errors';
import { HttpError } from './httpError';

/** The value, or the HTTP error of the domain error's code. */
export const orThrow = <A>(result: Either<DomainError, A>): A => {
  if (isLeft(result)) throw HttpError.from(result.left);
  return result.right;
};

/**
 * The request is the correlation of every event it causes; its route and Idempotency-Key go
 * into the events' metadata too, so the audit trace can say what the request was.
 */
export const commandContext = (ctx: Context, clock: Clock, actor: Actor): CommandContext => {
  const key = ctx.get('idempotency-key');
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  return {
    correlationId: (ctx.state as { requestId: string }).requestId,
    causationId: null,
    actor,
    now: clock.now(),
    request: {
      route: `${ctx.method} ${typeof matched === 'string' ? matched : ctx.path}`,
      idempotencyKey: IDEMPOTENCY_KEY.test(key) ? key : null,
    },
  };
};

/** Read-your-writes: a read with `min_position` set to this waits until projections caught up. */
export const POSITION_HEADER = 'X-Parley-Position';

export const setPosition = (ctx: Context, checkpoint: Checkpoint | null): void => {
  if (checkpoint !== null) ctx.set(POSITION_HEADER, checkpoint);
};

/** The request's Idempotency-Key, null without one; a malformed one is refused. */
export const idempotencyKeyOf = (ctx: Context): string | null => {
  const key = ctx.get('idempotency-key');
  if (key === '') return null;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HttpError('E_VALIDATION', 'the Idempotency-Key header is not valid', [
      { path: '(header) Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
    ]);
  }
  return key;
};
