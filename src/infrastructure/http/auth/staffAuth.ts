import type { Middleware } from 'koa';
import type { Actor } from '../../../application/ports/eventStore';
import { hashToken, sameHash } from '../../../application/secrets';
import { HttpError } from '../httpError';
import type { RequestState } from '../middleware/requestContext';

export type StaffState = RequestState & { actor: Actor };

/** Finds the operator a bearer token belongs to; null when it is nobody's. */
export type OperatorTokens = (token: string) => Promise<Readonly<{ operatorId: string }> | null>;

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Management and operator endpoints: `Authorization: Bearer <token>`, the admin token or an
 * operator's. Sets `ctx.state.actor`, which becomes the actor of every event the request causes.
 */
export const staffAuth =
  (
    adminTokenHash: string,
    operatorTokens: OperatorTokens = async () => null,
  ): Middleware<StaffState> =>
  async (ctx, next) => {
    const token = BEARER.exec(ctx.get('authorization'))?.[1];
    if (token === undefined) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new HttpError('E_UNAUTHORIZED', 'send Authorization: Bearer <admin or operator token>');
    }
    if (sameHash(hashToken(token), adminTokenHash)) {
      ctx.state.actor = { type: 'admin' };
    } else {
      const operator = await operatorTokens(token);
      if (operator === null) {
        ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
        throw new HttpError('E_UNAUTHORIZED', 'the bearer token is not valid');
      }
      ctx.state.actor = { type: 'operator', operatorId: operator.operatorId };
    }
    await next();
  };

/** For admin-only routes (channel management, operators, webhooks), after staffAuth. */
export const requireAdmin = (): Middleware<StaffState> => async (ctx, next) => {
  if (ctx.state.actor?.type !== 'admin')
    throw new HttpError('E_FORBIDDEN', 'only the admin token may do this');
  await next();
};
