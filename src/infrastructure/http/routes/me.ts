import Router from '@koa/router';
import type { ParleyDeps } from '../../parley';
import { staffAuth, type StaffState } from '../auth/staffAuth';

/** Who the bearer token is: the inbox asks once to know whose dialogs are "mine". */
export const meRoutes = (deps: ParleyDeps): Router => {
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
