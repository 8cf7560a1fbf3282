import type { Middleware } from 'koa';
import type { Actor } from '../../../application/ports/eventStore';
import { hashToken, sameHash } from '../../../application/secrets';
import { HttpError } from '../httpError';
import type { RequestState } from '../middleware/requestContext';
import { actorOf, permits, type Staff, type Surface } from './roles';

export type StaffState = RequestState & {
  staff: Staff;
  /**
   * the actor of every event the request causes. An auditor has none: reading it on an
   * auditor's request answers 403, a second guard behind `permits`.
   */
  actor: Actor;
};

/** Finds the operator or auditor a bearer token belongs to; null when it is nobody's. */
export type OperatorTokens = (
  token: string,
) => Promise<Readonly<{ operatorId: string }> | Readonly<{ auditorId: string }> | null>;

const BEARER = /^Bearer\s+(\S+)$/i;

const forbidden = (): HttpError =>
  new HttpError('E_FORBIDDEN', 'this token may not do this (auditors change nothing)');

const staffOf = async (
  token: string,
  adminTokenHash: string,
  tokens: OperatorTokens,
): Promise<Staff | null> => {
  if (sameHash(hashToken(token), adminTokenHash)) return { role: 'admin' };
  const found = await tokens(token);
  if (found === null) return null;
  return 'operatorId' in found
    ? { role: 'operator', operatorId: found.operatorId }
    : { role: 'auditor', auditorId: found.auditorId };
};

/** Sets who the request is; only an admin's or operator's request has an actor. */
const setStaff = (state: StaffState, staff: Staff): void => {
  state.staff = staff;
  const actor = actorOf(staff);
  if (actor !== null) state.actor = actor;
  else
    Object.defineProperty(state, 'actor', {
      configurable: true,
      get: () => {
        throw forbidden();
      },
    });
};

/**
 * Management, operator and audit endpoints: `Authorization: Bearer <token>`, the admin token,
 * an operator's or an auditor's. Refuses what the role may not do on `surface` (roles.ts), so
 * an auditor's write is 403 before its body is read. Sets `ctx.state.staff` and `actor`.
 */
export const staffAuth =
  (
    adminTokenHash: string,
    operatorTokens: OperatorTokens = async () => null,
    surface: Surface = 'staff',
  ): Middleware<StaffState> =>
  async (ctx, next) => {
    const token = BEARER.exec(ctx.get('authorization'))?.[1];
    if (token === undefined) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new HttpError(
        'E_UNAUTHORIZED',
        'send Authorization: Bearer <admin, operator or auditor token>',
      );
    }
    const staff = await staffOf(token, adminTokenHash, operatorTokens);
    if (staff === null) {
      ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new HttpError('E_UNAUTHORIZED', 'the bearer token is not valid');
    }
    setStaff(ctx.state, staff);
    if (!permits(staff, surface, ctx.method)) throw forbidden();
    await next();
  };

const requireSurface =
  (surface: Surface, message: string): Middleware<StaffState> =>
  async (ctx, next) => {
    if (!permits(ctx.state.staff, surface, ctx.method)) throw new HttpError('E_FORBIDDEN', message);
    await next();
  };

/** For admin-only routes (channel management, operators, webhooks), after staffAuth: auditors read them. */
export const requireAdmin = (): Middleware<StaffState> =>
  requireSurface('admin', 'only the admin token may do this (auditors may read)');

/** For the audit surface (trace, export, verification), after staffAuth: admins and auditors. */
export const requireAudit = (): Middleware<StaffState> =>
  requireSurface('audit', 'only the admin and auditors may read the audit surface');
