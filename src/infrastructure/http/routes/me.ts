import Router from '@koa/router';
import type * as t from 'io-ts';
import type { StaffAuthDeps } from '../../parleyDeps';
import { staffAuth, type StaffState } from '../auth/staffAuth';
import { meAnswer } from '../codecs/operationAnswers';
import { serve, type RouteContract } from '../contract';

/** What these routes use, and nothing more. */
export type MeRouteDeps = StaffAuthDeps;

export const meContract: RouteContract = {
  method: 'get',
  path: '/api/me',
  tags: ['operators'],
  summary: 'Who the bearer token is',
  security: 'bearer',
  response: {
    status: 200,
    description: 'the admin, an operator with their id, or an auditor with theirs',
    codec: meAnswer,
  },
  errors: ['E_UNAUTHORIZED'],
  errorNotes: { 401: 'no or a wrong bearer token' },
};

/** Who the bearer token is: the inbox asks once to know whose dialogs are "mine". */
export const meRoutes = (deps: MeRouteDeps): Router => {
  const router = new Router<StaffState>();
  serve(router, meContract, staffAuth(deps.adminTokenHash, deps.operatorTokens), (ctx) => {
    const { staff } = ctx.state;
    const answer: t.TypeOf<typeof meAnswer> = {
      actor:
        staff.role === 'operator'
          ? { type: 'operator', operator_id: staff.operatorId }
          : staff.role === 'auditor'
            ? { type: 'auditor', auditor_id: staff.auditorId }
            : { type: 'admin' },
    };
    ctx.body = answer;
  });
  return router;
};
