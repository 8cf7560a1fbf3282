import Router from '@koa/router';
import { listChannels } from '../../../projections/channels/channelQueries';
import { isMissingReadModel } from '../../../projections/checkpoints';
import { listOperators } from '../../../projections/operators/operatorQueries';
import type { ParleyDeps } from '../../parley';
import { staffAuth, type StaffState } from '../auth/staffAuth';

/**
 * GET /api/inbox/directory: the names an operator needs to work (whom to assign to, which
 * channels to filter by). The admin-only lists carry tokens and settings; this carries names.
 * Before the projections first ran there is nobody to name yet.
 */
const orNothing = <T>(read: Promise<T[]>): Promise<T[]> =>
  read.catch((error: unknown) => {
    if (isMissingReadModel(error)) return [];
    throw error;
  });

export const inboxDirectoryRoutes = (deps: ParleyDeps): Router => {
  const router = new Router<StaffState>();
  router.get(
    '/api/inbox/directory',
    staffAuth(deps.adminTokenHash, deps.operatorTokens),
    async (ctx) => {
      const [operators, channels] = await Promise.all([
        orNothing(listOperators(deps.pool)),
        orNothing(listChannels(deps.pool)),
      ]);
      ctx.body = {
        operators: operators.map((o) => ({ operator_id: o.operatorId, name: o.name })),
        channels: channels
          .filter((c) => c.status === 'active')
          .map((c) => ({ channel_id: c.channelId, name: c.name })),
      };
    },
  );
  return router as unknown as Router;
};
