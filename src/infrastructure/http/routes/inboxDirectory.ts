import Router from '@koa/router';
import { listChannels } from '../../../projections/channels/channelQueries';
import { isMissingReadModel } from '../../../projections/checkpoints';
import { listOperators } from '../../../projections/operators/operatorQueries';
import type * as t from 'io-ts';
import type { ParleyDeps, StaffAuthDeps } from '../../parleyDeps';
import { staffAuth, type StaffState } from '../auth/staffAuth';
import { directoryAnswer } from '../codecs/operationAnswers';
import { serve, type RouteContract } from '../contract';

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

export const inboxDirectoryContract: RouteContract = {
  method: 'get',
  path: '/api/inbox/directory',
  tags: ['inbox'],
  summary: 'Operators and active channels by name, for assigning and filtering',
  security: 'bearer',
  response: {
    status: 200,
    description: 'names only: no tokens, no settings',
    codec: directoryAnswer,
  },
  errors: ['E_UNAUTHORIZED'],
  errorNotes: { 401: 'no or a wrong bearer token' },
};

/** What this route uses, and nothing more. */
export type InboxDirectoryRouteDeps = StaffAuthDeps & Pick<ParleyDeps, 'pool'>;

export const inboxDirectoryRoutes = (deps: InboxDirectoryRouteDeps): Router => {
  const router = new Router<StaffState>();
  serve(
    router,
    inboxDirectoryContract,
    staffAuth(deps.adminTokenHash, deps.operatorTokens),
    async (ctx) => {
      const [operators, channels] = await Promise.all([
        orNothing(listOperators(deps.pool)),
        orNothing(listChannels(deps.pool)),
      ]);
      const answer: t.TypeOf<typeof directoryAnswer> = {
        operators: operators.map((o) => ({ operator_id: o.operatorId, name: o.name })),
        channels: channels
          .filter((c) => c.status === 'active')
          .map((c) => ({ channel_id: c.channelId, name: c.name })),
      };
      ctx.body = answer;
    },
  );
  return router as unknown as Router;
};
