import { isLeft, type Either } from 'fp-ts/Either';
import type { ParameterizedContext } from 'koa';
import type { CommandContext } from '../../application/context';
import type { Checkpoint } from '../../application/ports/eventStore';
import type { DomainError } from '../../domain/errors';
import type { StaffState } from './auth/staffAuth';
import { HttpError } from './httpError';

export type StaffContext = ParameterizedContext<StaffState>;

/** The request as the command's context: its id correlates, its bearer is the actor. */
export const commandContextOf = (ctx: StaffContext, now: Date): CommandContext => ({
  correlationId: ctx.state.requestId,
  causationId: ctx.state.requestId,
  actor: ctx.state.actor,
  now,
});

/** A domain refusal becomes its HTTP error; success goes on. */
export const orThrow = <A>(result: Either<DomainError, A>): A => {
  if (isLeft(result)) throw HttpError.from(result.left);
  return result.right;
};

/** Write responses say where their events sit in the global log, for read-your-writes. */
export const respond = (
  ctx: StaffContext,
  status: number,
  body: unknown,
  position: Checkpoint | null,
): void => {
  if (position !== null) ctx.set('X-Parley-Position', position);
  ctx.status = status;
  if (body !== undefined) ctx.body = body;
};

/** A path id that is not 24 hex digits names nothing: the resource's own 404. */
export const idParam = (
  value: string | undefined,
  notFound: Readonly<{ code: DomainError['code']; message: string }>,
): string => {
  if (value === undefined || !/^[0-9a-f]{24}$/.test(value))
    throw new HttpError(notFound.code, notFound.message);
  return value;
};
