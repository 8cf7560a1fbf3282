import Router from '@koa/router';
import type { StaffAuthDeps } from '../../parleyDeps';
import { staffAuth, type StaffState } from '../auth/staffAuth';

/** What these routes use, and nothing more. */
export type MeRouteDeps = StaffAuthDeps;

/** Who the bearer token is: the inbox asks once to know whose dialogs are "mine". */
export const meRoutes = (deps: MeRouteDeps): Router => {
  const router = new Router<StaffState>();
  router.get('/api/me', staffAuth(deps.adminTokenHash, deps.operatorTokens), (ctx) => {
    const { staff } = ctx.state;
    ctx.body = {
      actor:
        staff.role === 'operator'
          ? { type: 'operator', operator_id: staff.operatorId }
          : staff.role === 'auditor'
            ? { type: 'auditor', auditor_id: staff.auditorId }
            : { type: 'admin' },
    };
  });
  return router;
};
